import { RequestRejectedError } from '../../../functions/domain/errors';
import { TemplateCompiler } from '../../../functions/domain/templates';
import { greetingTemplate, testBrand, testTemplateSet } from '../../helpers/templates';

describe('Function: TemplateCompiler', () => {
  it('compiles a template with its canonical locales and parsed files', () => {
    // Prepare
    const compiler = new TemplateCompiler(testTemplateSet());
    // Act
    const template = compiler.find('greeting');
    // Assess
    expect(template.manifest.defaultLocale).toBe('en');
    expect([...template.files.keys()]).toContain('fr/sms.liquid');
    expect([...template.whatsappVariables.keys()].sort()).toEqual(['en', 'fr']);
  });

  it('compiles a template only when it is first used', () => {
    // Prepare
    const broken = greetingTemplate({ files: { 'en/sms.liquid': 'Hello {{ customer.firstName ' } });
    const compiler = new TemplateCompiler(testTemplateSet({ greeting: greetingTemplate(), broken }));
    const parse = jest.spyOn(compiler.text, 'parse');
    // Act
    compiler.find('greeting');
    const parsedForGreeting = parse.mock.calls.length;
    const problems = compiler.problems();
    // Assess
    expect(parsedForGreeting).toBeGreaterThan(0);
    expect(parse.mock.calls.length).toBeGreaterThan(parsedForGreeting);
    expect(problems.map((problem) => problem.template)).toContain('broken');
  });

  it('rejects a request for an unknown template or a broken one, naming why', () => {
    // Prepare
    const broken = greetingTemplate({
      manifest: { channels: ['sms'], locales: ['en'], defaultLocale: 'de' },
    });
    const compiler = new TemplateCompiler(testTemplateSet({ broken }));
    // Act
    const unknown = () => compiler.find('nope');
    const isBroken = () => compiler.find('broken');
    // Assess
    expect(unknown).toThrow(new RequestRejectedError(['unknown template "nope"']));
    expect(isBroken).toThrow(RequestRejectedError);
    expect(() => compiler.find(undefined)).toThrow(RequestRejectedError);
    expect(compiler.manifest('broken')).toBeUndefined();
  });

  it('reports a broken brand once the shared files are checked', () => {
    // Prepare
    const set = { ...testTemplateSet(), brand: { ...testBrand, unsubscribeUrl: '{{ oops' } };
    const compiler = new TemplateCompiler(set);
    // Act
    const problems = compiler.problems();
    // Assess
    expect(problems.some((problem) => problem.template === '_brand')).toBe(true);
    expect(() => compiler.requireUsableShared()).toThrow(RequestRejectedError);
  });

  it('lists every template name, sorted, broken ones included', () => {
    // Prepare
    const broken = greetingTemplate({ manifest: {} });
    const compiler = new TemplateCompiler(testTemplateSet({ zeta: greetingTemplate(), alpha: broken }));
    // Act
    const names = compiler.templateNames;
    // Assess
    expect(names).toEqual(['alpha', 'zeta']);
  });
});
