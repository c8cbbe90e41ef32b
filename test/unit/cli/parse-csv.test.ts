import { CsvSyntaxError, parseCsv } from '../../../cli/customer-rows';

describe('Function: parseCsv', () => {
  it('reads an Excel "CSV UTF-8" export: byte-order mark, CRLF, quoted line breaks, commas and quotes', () => {
    // Prepare
    const text = [
      '\uFEFFcustomerId,note,firstName',
      'xl-1,"Ring twice.\nLeave it with the neighbour, if out.",Ada',
      'xl-2,"She said ""hi, there""",Bea',
      'xl-3,,Cem',
      '',
    ].join('\r\n');

    // Act
    const records = parseCsv(text);

    // Assess
    expect(records).toEqual([
      { line: 1, fields: ['customerId', 'note', 'firstName'] },
      { line: 2, fields: ['xl-1', 'Ring twice.\nLeave it with the neighbour, if out.', 'Ada'] },
      { line: 4, fields: ['xl-2', 'She said "hi, there"', 'Bea'] },
      { line: 5, fields: ['xl-3', '', 'Cem'] },
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])(
    'numbers each record by the line it starts on, with %s line breaks inside and between records',
    (_name, nl) => {
      // Prepare
      const text = ['id,note', `a,"one${nl}two${nl}three"`, '', `b,"x${nl}y"`, 'c,z'].join(nl);

      // Act
      const lines = parseCsv(text).map(({ line, fields }) => [fields[0], line]);

      // Assess
      expect(lines).toEqual([
        ['id', 1],
        ['a', 2],
        ['b', 6],
        ['c', 8],
      ]);
    },
  );

  it('keeps records whose number of fields differs from the header, for the caller to report', () => {
    // Act
    const records = parseCsv('id,sms,email\nshort,+14155550100\n');

    // Assess
    expect(records[1]).toEqual({ line: 2, fields: ['short', '+14155550100'] });
  });

  it.each([
    ['a quote that is never closed', 'id,note\r\nok,"fine\r\nstill, fine"\r\nbad,"open\r\n', 3],
    ['text after a closing quote', 'id,note\nok,x\nbad,"x"y\nnext,z\n', 2],
  ])('refuses %s, naming the last line it could read', (_case, text, linesRead) => {
    // Act
    const act = () => parseCsv(text);

    // Assess
    expect(act).toThrow(CsvSyntaxError);
    expect(act).toThrow(new RegExp(`^cannot read past line ${linesRead}: `));
  });
});
