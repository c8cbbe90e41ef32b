// Switchboard local console: plain DOM, no framework. Every value from the server is written with
// textContent (never innerHTML); emails render in an iframe with an empty sandbox (no scripts).

// Icons are short text badges in the channel's colour: they render everywhere (no emoji font needed).
const CHANNELS = {
  sms: { label: 'SMS', icon: 'SMS' },
  whatsapp: { label: 'WhatsApp', icon: 'WA' },
  email: { label: 'Email', icon: '@' },
  push: { label: 'Push', icon: 'PUSH' },
};
const FAILURES = new Set(['failed', 'undelivered', 'bounced', 'dropped', 'throttled']);
const entries = new Map();

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '';
}

function announce(text) {
  document.getElementById('announcer').textContent = text;
}

// --- outbox ------------------------------------------------------------------------------------

function renderContent(entry) {
  const content = entry.content || {};
  const statuses = new Set(entry.statuses.map((s) => s.status));
  switch (entry.channel) {
    case 'sms':
      return el('div', { class: 'chat sms-chat' }, el('div', { class: 'bubble sms' }, content.text || ''));
    case 'whatsapp': {
      const template = content.whatsappTemplate;
      const text =
        content.text ||
        (template ? `Template ${template.contentSid} ${JSON.stringify(template.variables)}` : '');
      const ticks = statuses.has('read')
        ? '✓✓ read'
        : statuses.has('delivered')
          ? '✓✓'
          : statuses.has('sent')
            ? '✓'
            : '🕓';
      return el(
        'div',
        { class: 'chat' },
        el(
          'div',
          { class: 'bubble whatsapp' },
          text,
          el('div', { class: `ticks${statuses.has('read') ? ' read' : ''}` }, ticks),
        ),
      );
    }
    case 'email': {
      const frame = el('iframe', {
        class: 'email-frame',
        sandbox: '',
        title: `Email: ${content.subject || 'no subject'}`,
        loading: 'lazy',
      });
      frame.srcdoc =
        content.html ||
        `<pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(content.text || '')}</pre>`;
      return el(
        'div',
        {},
        el(
          'div',
          { class: 'email-head' },
          el('div', {}, el('strong', {}, 'From: '), entry.from || ''),
          el('div', {}, el('strong', {}, 'To: '), entry.to),
          el('div', {}, el('strong', {}, 'Subject: '), content.subject || ''),
        ),
        frame,
      );
    }
    case 'push':
      return el(
        'div',
        {
          class: 'push-card',
          role: 'img',
          'aria-label': `Push notification: ${content.title || ''} ${content.text || ''}`,
        },
        el('span', { class: 'app' }, 'Switchboard · now'),
        el('strong', {}, content.title || ''),
        el('span', {}, content.text || ''),
        content.url ? el('div', { class: 'meta' }, content.url) : null,
      );
    default:
      return el('pre', {}, JSON.stringify(content, null, 2));
  }
}

function escapeHtml(text) {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

function renderEntry(entry) {
  const channel = CHANNELS[entry.channel] || { label: entry.channel, icon: '•' };
  const item = el(
    'li',
    { class: 'entry', 'data-channel': entry.channel, 'data-id': entry.id },
    el(
      'article',
      { 'aria-label': `${channel.label} to ${entry.to}` },
      el(
        'h3',
        {},
        el('span', { class: 'icon', 'aria-hidden': 'true' }, channel.icon),
        `${channel.label} to ${entry.to}`,
      ),
      el(
        'p',
        { class: 'meta' },
        `customer ${entry.customerId} · message ${entry.messageId} · attempt ${entry.attempt} · ${time(entry.acceptedAt)}`,
      ),
      entry.outcome === 'refused'
        ? el(
            'p',
            { class: 'refused' },
            `Refused by the provider: ${entry.statuses[0]?.errorCode || ''} ${entry.statuses[0]?.detail || ''}`,
          )
        : null,
      renderContent(entry),
      el(
        'ol',
        { class: 'statuses', 'aria-label': 'Statuses' },
        entry.statuses.map((s) =>
          el(
            'li',
            { class: FAILURES.has(s.status) ? 'bad' : '' },
            `${s.status}${s.errorCode ? ` (${s.errorCode})` : ''} ${time(s.at)}`,
          ),
        ),
      ),
      entry.callbacks.length > 0
        ? el(
            'details',
            {},
            el('summary', {}, `Webhook callbacks (${entry.callbacks.length})`),
            el(
              'ul',
              { class: 'callback-list' },
              entry.callbacks.map((c) =>
                el('li', {}, `${c.reports} → ${c.path}: ${c.httpStatus ?? c.error} (attempt ${c.attempt})`),
              ),
            ),
          )
        : null,
    ),
  );
  return item;
}

function showOutbox() {
  const filter = document.getElementById('outbox-channel').value;
  const list = document.getElementById('outbox-list');
  const visible = [...entries.values()]
    .filter((e) => !filter || e.channel === filter)
    .sort((a, b) => (a.acceptedAt < b.acceptedAt ? 1 : -1));
  list.replaceChildren(...visible.map(renderEntry));
  document.getElementById('outbox-empty').hidden = visible.length > 0;
}

function upsertEntry(entry, isNew) {
  entries.set(entry.id, entry);
  const filter = document.getElementById('outbox-channel').value;
  if (filter && entry.channel !== filter) return;
  const list = document.getElementById('outbox-list');
  const existing = list.querySelector(`[data-id="${CSS.escape(entry.id)}"]`);
  const rendered = renderEntry(entry);
  if (existing) existing.replaceWith(rendered);
  else {
    rendered.classList.add('new');
    list.prepend(rendered);
  }
  document.getElementById('outbox-empty').hidden = true;
  if (isNew) announce(`New ${CHANNELS[entry.channel]?.label || entry.channel} message to ${entry.to}`);
}

async function loadOutbox() {
  const response = await fetch('api/outbox');
  const body = await response.json();
  entries.clear();
  for (const entry of body.entries) entries.set(entry.id, entry);
  showOutbox();
}

// --- dead letters ------------------------------------------------------------------------------

async function loadDeadLetters() {
  const container = document.getElementById('dlq-list');
  const response = await fetch('api/dlq');
  const body = await response.json();
  const nonEmpty = body.dlqs.filter((d) => d.messages.length > 0);
  if (nonEmpty.length === 0) {
    container.replaceChildren(el('p', { class: 'empty' }, 'Every dead-letter queue is empty.'));
    return;
  }
  container.replaceChildren(
    ...nonEmpty.map((dlq) => {
      const button = el('button', { type: 'button' }, `Redrive ${dlq.messages.length} to ${dlq.queue}`);
      button.addEventListener('click', () => redrive(dlq.queue, button));
      return el(
        'div',
        { class: 'dlq' },
        el('h3', {}, `${dlq.queue} DLQ`, button),
        el(
          'table',
          {},
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', { scope: 'col' }, 'Message'),
              el('th', { scope: 'col' }, 'Receives'),
              el('th', { scope: 'col' }, 'Sent'),
              el('th', { scope: 'col' }, 'Body'),
            ),
          ),
          el(
            'tbody',
            {},
            dlq.messages.map((m) =>
              el(
                'tr',
                {},
                el('td', {}, m.messageId),
                el('td', {}, m.receiveCount),
                el('td', {}, time(m.sentAt)),
                el('td', {}, el('pre', {}, m.body)),
              ),
            ),
          ),
        ),
      );
    }),
  );
}

async function redrive(queue, button) {
  button.disabled = true;
  const response = await fetch(`api/dlq/${encodeURIComponent(queue)}/redrive`, {
    method: 'POST',
    headers: { 'x-switchboard-console': '1' },
  });
  const body = await response.json();
  announce(response.ok ? `Moved ${body.moved} messages back to ${queue}` : `Redrive failed: ${body.message}`);
  await loadDeadLetters();
}

function showDlqDepths(depths) {
  const total = Object.values(depths).reduce((sum, n) => sum + n, 0);
  const badge = document.getElementById('dlq-total');
  badge.textContent = String(total);
  badge.classList.toggle('has', total > 0);
}

// --- customers, timeline, funnel (slots that fill in as the API grows) -----------------------

async function searchCustomers(event) {
  event?.preventDefault();
  const query = document.getElementById('customer-query').value;
  const out = document.getElementById('customer-results');
  const response = await fetch(`api/customers?q=${encodeURIComponent(query)}`);
  const body = await response.json();
  if (!response.ok) {
    out.replaceChildren(
      el('p', { class: 'notice' }, body.reason || body.message || `Not available (${response.status})`),
    );
    return;
  }
  if (body.customers.length === 0) {
    out.replaceChildren(el('p', { class: 'notice' }, 'No customer matches.'));
    return;
  }
  out.replaceChildren(
    el(
      'ul',
      { class: 'customer-list', 'aria-label': 'Customers' },
      body.customers.map((c) => {
        const button = el(
          'button',
          { type: 'button', class: 'link' },
          `${c.customerId}${c.firstName ? ` (${c.firstName})` : ''}`,
        );
        button.addEventListener('click', () => {
          document.getElementById('timeline-customer').value = c.customerId;
          showTimeline();
        });
        return el('li', {}, [button, ' ', ...c.channels.map((ch) => channelTag(ch))]);
      }),
    ),
  );
}

function channelTag(channel) {
  return el(
    'span',
    { class: `channel-tag ch-${channel}`, title: CHANNELS[channel]?.label || channel },
    CHANNELS[channel]?.icon || channel,
  );
}

/** An opt-in from a sender that did not prove itself is recorded but changes nothing (sender-evidence.ts). */
function consentHeld(inbound) {
  return inbound.senderVerified === false && inbound.consentIntent !== 'opt_out';
}

/** Where a touchpoint or a conversion happened, as the timeline labels it. */
const PLACES = {
  web: 'Web',
  mobile: 'App',
  store: 'Store',
  pos: 'Store till',
  server: 'Server',
  call_center: 'Call centre',
};

function placeTag(place) {
  return el('span', { class: `place-tag pl-${place || 'unknown'}` }, PLACES[place] || place || 'Unknown');
}

/** Each message's status changes over its attempts, in time order (late callbacks stay with it). */
function messageChanges(message) {
  const changes = [];
  for (const attempt of message.attempts || []) {
    for (const change of attempt.history || []) {
      changes.push({
        at: change.at,
        channel: attempt.channel,
        status: change.status,
        reason: change.status === 'failed' ? attempt.error?.code : change.reason,
      });
    }
  }
  return changes.sort((a, b) => a.at.localeCompare(b.at));
}

function renderInbound(entry) {
  return el('li', { class: `entry inbound ch-${entry.channel}`, 'data-kind': 'inbound' }, [
    el('span', { class: 'when' }, time(entry.at)),
    channelTag(entry.channel),
    el('span', { class: 'direction' }, 'Reply'),
    el('q', {}, entry.text),
    entry.consentIntent
      ? el(
          'span',
          { class: 'consent' },
          `${consentHeld(entry) ? 'Consent unchanged, asked' : 'Consent change'}: ${entry.consentIntent.replace('_', '-')} on ${CHANNELS[entry.channel]?.label || entry.channel}`,
        )
      : '',
    entry.senderVerified === false
      ? el(
          'span',
          { class: 'unverified' },
          `Sender not verified: ${entry.senderUnverifiedReason || 'unknown'}`,
        )
      : '',
  ]);
}

function renderConsent(entry) {
  return el('li', { class: `entry consent-change ch-${entry.channel}`, 'data-kind': 'consent' }, [
    el('span', { class: 'when' }, time(entry.at)),
    channelTag(entry.channel),
    el('span', { class: 'direction' }, 'Consent'),
    `${entry.category}: ${entry.status.replace('_', '-')} (${entry.source}${entry.reason ? `: ${entry.reason}` : ''})`,
  ]);
}

function renderTouchpoint(entry) {
  return el('li', { class: `entry touchpoint pl-${entry.channel || 'unknown'}`, 'data-kind': 'touchpoint' }, [
    el('span', { class: 'when' }, time(entry.at)),
    placeTag(entry.channel),
    el('span', { class: 'direction' }, entry.call),
    entry.name ? el('strong', {}, entry.name) : '',
  ]);
}

function renderConversion(entry) {
  const last = entry.credits.filter((credit) => credit.weight.last > 0);
  const credited = last.length > 0 ? last : entry.credits;
  const revenue =
    entry.revenue === undefined
      ? ''
      : ` ${entry.revenue.toFixed(2)}${entry.currency ? ` ${entry.currency}` : ''}`;
  return el('li', { class: `entry conversion pl-${entry.channel || 'unknown'}`, 'data-kind': 'conversion' }, [
    el('span', { class: 'when' }, time(entry.at)),
    placeTag(entry.channel),
    el('span', { class: 'direction' }, 'Conversion'),
    el('strong', {}, entry.event),
    revenue ? el('span', { class: 'revenue' }, revenue) : '',
    entry.sourceKind === 'client' ? el('span', { class: 'unverified' }, 'Sent by a client key') : '',
    el(
      'span',
      { class: 'credited' },
      credited.length === 0
        ? 'No message credited'
        : [
            'Credited: ',
            ...credited.flatMap((credit) => [
              channelTag(credit.channel),
              ` ${credit.template || credit.messageId} `,
            ]),
          ],
    ),
  ]);
}

function renderClick(entry) {
  return el('li', { class: `entry click ch-${entry.channel}`, 'data-kind': 'click' }, [
    el('span', { class: 'when' }, time(entry.at)),
    channelTag(entry.channel),
    el('span', { class: 'direction' }, 'Click'),
    el('span', { class: 'url' }, entry.url),
    ` on ${entry.messageId}`,
  ]);
}

function renderMessage(entry) {
  const what = entry.request?.template || entry.request?.content?.text || entry.messageId;
  const skipped = Object.entries(entry.skipped || {});
  const fallback = new Set((entry.attempts || []).map((a) => a.channel)).size > 1;
  return el('li', { class: 'entry outbound', 'data-kind': 'outbound' }, [
    el('span', { class: 'when' }, time(entry.at)),
    el('span', { class: 'direction' }, `${entry.category || ''} message`),
    el('strong', {}, what),
    el('span', { class: `status st-${entry.status}` }, entry.status),
    fallback ? el('span', { class: 'fallback' }, 'Fell back to another channel') : '',
    sentBy(entry),
    entry.choice
      ? el('span', { class: `choice ch-${entry.choice.channel}` }, [
          channelTag(entry.choice.channel),
          ` ${entry.choice.explored ? 'Exploring' : 'Learned'} (p ${entry.choice.propensity.toFixed(2)}): ${entry.choice.explanation}`,
        ])
      : '',
    el('ul', { class: 'changes' }, [
      ...skipped.map(([channel, why]) =>
        el('li', { class: `skipped ch-${channel}` }, [channelTag(channel), ` skipped: ${why}`]),
      ),
      ...messageChanges(entry).map((change) =>
        el('li', { class: `ch-${change.channel}` }, [
          channelTag(change.channel),
          ` ${change.status}${change.reason ? ` (${change.reason})` : ''} `,
          el('span', { class: 'when' }, time(change.at)),
        ]),
      ),
    ]),
  ]);
}

/** Why a journey's message was sent: the journey and step its metadata names. */
function sentBy(message) {
  const metadata = message.metadata || {};
  if (!metadata.journeyId) return '';
  const step = metadata.journeyStepId ? `, step ${metadata.journeyStepId}` : '';
  return el('span', { class: 'sent-by' }, `sent by journey ${metadata.journeyId}${step}`);
}

function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** A moment of a journey run in words. */
function journeyMoment(entry) {
  switch (entry.event) {
    case 'entered':
      return `entered on ${entry.entryEvent || 'an event'}${entry.key && entry.key !== '-' ? `, key ${entry.key}` : ''}`;
    case 'held-out':
      return 'held out: takes every step, sends nothing';
    case 'step':
      return `step ${entry.stepId}: ${entry.outcome || 'taken'}`;
    case 'waiting':
      return `waiting${entry.stepId ? ` in ${entry.stepId}` : ''}${entry.until ? ` until ${dateTime(entry.until)}` : ''}`;
    case 'exited':
      return `exited: ${entry.reason}${entry.detail ? ` (${entry.detail})` : ''}`;
    default:
      return entry.event;
  }
}

function renderJourney(entry) {
  return el(
    'li',
    { class: `entry journey jr-${entry.event}`, 'data-kind': 'journey', 'data-event': entry.event },
    [
      el('span', { class: 'when' }, time(entry.at)),
      el('span', { class: 'journey-tag' }, 'Journey'),
      el('strong', {}, entry.journeyId),
      ` ${journeyMoment(entry)}`,
    ],
  );
}

/** How each kind of timeline entry is drawn; a kind the console does not know yet is left out. */
const ENTRY_RENDERERS = {
  message: renderMessage,
  inbound: renderInbound,
  consent: renderConsent,
  touchpoint: renderTouchpoint,
  conversion: renderConversion,
  click: renderClick,
  journey: renderJourney,
};

async function showTimeline(event) {
  event?.preventDefault();
  const customerId = document.getElementById('timeline-customer').value.trim();
  if (!customerId) return;
  const out = document.getElementById('timeline');
  const response = await fetch(`/v1/customers/${encodeURIComponent(customerId)}/timeline?limit=100`);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    out.replaceChildren(el('p', { class: 'notice' }, body.message || `HTTP ${response.status}`));
    return;
  }
  out.dataset.customerId = customerId;
  // The API pages newest first; the console reads like a story, oldest first.
  const entries = [...(body.entries || [])].reverse().filter((entry) => ENTRY_RENDERERS[entry.type]);
  if (entries.length === 0) {
    out.replaceChildren(el('p', { class: 'notice' }, `Nothing on ${customerId}'s timeline yet.`));
    return;
  }
  out.replaceChildren(
    el('h3', {}, `Timeline of ${customerId}`),
    el(
      'ol',
      { class: 'timeline', 'aria-label': `Timeline of ${customerId}` },
      entries.map((entry) => ENTRY_RENDERERS[entry.type](entry)),
    ),
  );
}

let timelineTimer;
function refreshTimelineSoon() {
  const out = document.getElementById('timeline');
  if (!out?.dataset.customerId) return;
  clearTimeout(timelineTimer);
  timelineTimer = setTimeout(() => showTimeline().catch(() => {}), 400);
}

const STAGE_LABELS = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read / opened',
  failed: 'Failed',
};

async function loadFunnel() {
  const response = await fetch('api/funnel');
  if (!response.ok) return;
  showFunnel(await response.json());
}

// Each chart is drawn for the eye only (aria-hidden) and followed by a table with the same numbers,
// which is what screen readers and the browser tests read.
function showFunnel(body) {
  const stages = [...body.stages, 'failed'];
  const channels = Object.entries(body.channels);
  const bars = el(
    'div',
    { class: 'bars', 'aria-hidden': 'true' },
    channels.map(([channel, counts]) => {
      const max = Math.max(1, counts.queued, counts.failed);
      return el(
        'div',
        { class: 'bar-group entry', 'data-channel': channel },
        el('h3', {}, el('span', { class: 'icon' }, CHANNELS[channel].icon), ` ${CHANNELS[channel].label}`),
        stages.map((stage) =>
          el(
            'div',
            { class: `bar-row${stage === 'failed' ? ' failed' : ''}` },
            el('span', {}, STAGE_LABELS[stage]),
            el('div', { class: 'bar', 'data-width': String(Math.round((100 * counts[stage]) / max)) }),
            el('span', {}, counts[stage]),
          ),
        ),
      );
    }),
  );
  const table = el(
    'table',
    { id: 'funnel-table' },
    el('caption', {}, 'Attempts per channel at each stage (from the ledger)'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Channel'),
        stages.map((s) => el('th', { scope: 'col' }, STAGE_LABELS[s])),
      ),
    ),
    el(
      'tbody',
      {},
      channels.map(([channel, counts]) =>
        el(
          'tr',
          { 'data-channel': channel },
          el('th', { scope: 'row' }, CHANNELS[channel].label),
          stages.map((stage) => el('td', { 'data-stage': stage }, counts[stage])),
        ),
      ),
    ),
  );
  document.getElementById('funnel-chart').replaceChildren(bars, table);

  const failures = body.failures || [];
  const maxFailures = Math.max(1, ...failures.map((f) => f.count));
  const reason = (f) => `${f.provider ? `${f.provider} ` : ''}${f.code}`;
  document.getElementById('failure-chart').replaceChildren(
    failures.length === 0
      ? el('p', { class: 'hint' }, 'No failed attempts.')
      : el(
          'div',
          {},
          el(
            'div',
            { class: 'bar-group failures-bars', 'aria-hidden': 'true' },
            failures.map((f) =>
              el(
                'div',
                { class: 'bar-row failure-row', 'data-channel': f.channel },
                el('span', {}, `${CHANNELS[f.channel].icon} ${reason(f)}`),
                el('div', { class: 'bar', 'data-width': String(Math.round((100 * f.count) / maxFailures)) }),
                el('span', {}, f.count),
              ),
            ),
          ),
          el(
            'table',
            { id: 'failure-table' },
            el('caption', {}, 'Failed attempts by channel, provider and error code'),
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['Channel', 'Provider', 'Code', 'Status', 'Reason', 'Attempts'].map((h) =>
                  el('th', { scope: 'col' }, h),
                ),
              ),
            ),
            el(
              'tbody',
              {},
              failures.map((f) =>
                el(
                  'tr',
                  { 'data-channel': f.channel, 'data-code': f.code },
                  el('th', { scope: 'row' }, CHANNELS[f.channel].label),
                  el('td', {}, f.provider || '—'),
                  el('td', {}, f.code),
                  el('td', {}, f.status),
                  el('td', {}, f.message || ''),
                  el('td', {}, f.count),
                ),
              ),
            ),
          ),
        ),
  );
  // Widths are set through the CSSOM (allowed by the page's CSP), not inline style attributes.
  for (const bar of document.querySelectorAll('#funnel .bar')) bar.style.width = `${bar.dataset.width}%`;
}

// --- attribution ---------------------------------------------------------------------------------

async function loadAttribution() {
  const model = document.getElementById('attribution-model').value;
  const response = await fetch(`/v1/reports/attribution?groupBy=channel&model=${encodeURIComponent(model)}`);
  if (!response.ok) return;
  showAttribution(await response.json());
}

const money = (amount) => String(Math.round(amount * 100) / 100);
const revenueText = (revenue) =>
  Object.entries(revenue)
    .map(([currency, amount]) => `${money(amount)} ${currency}`)
    .join(', ') || '—';

// Bars for the eye (aria-hidden): conversions and revenue (per currency) of each channel, scaled to
// the largest; then the table with the same numbers, which screen readers and the tests read.
function showAttribution(report) {
  const rows = report.rows;
  const maxConversions = Math.max(1, ...rows.map((row) => row.conversions));
  const currencies = [...new Set(rows.flatMap((row) => Object.keys(row.revenue)))];
  const maxRevenue = Object.fromEntries(
    currencies.map((currency) => [currency, Math.max(1, ...rows.map((row) => row.revenue[currency] ?? 0))]),
  );
  const label = (group) => CHANNELS[group]?.label ?? group;
  const bars = el(
    'div',
    { class: 'bars', 'aria-hidden': 'true' },
    rows.map((row) =>
      el(
        'div',
        { class: 'bar-group entry', 'data-channel': row.group },
        el('h3', {}, el('span', { class: 'icon' }, CHANNELS[row.group]?.icon ?? ''), ` ${label(row.group)}`),
        el(
          'div',
          { class: 'bar-row' },
          el('span', {}, 'Conversions'),
          el('div', {
            class: 'bar',
            'data-width': String(Math.round((100 * row.conversions) / maxConversions)),
          }),
          el('span', {}, money(row.conversions)),
        ),
        currencies.map((currency) =>
          el(
            'div',
            { class: 'bar-row' },
            el('span', {}, `Revenue ${currency}`),
            el('div', {
              class: 'bar',
              'data-width': String(Math.round((100 * (row.revenue[currency] ?? 0)) / maxRevenue[currency])),
            }),
            el('span', {}, money(row.revenue[currency] ?? 0)),
          ),
        ),
      ),
    ),
  );
  const headings = [
    'Channel',
    'Sent',
    'Delivered',
    'Engaged',
    'Conversions',
    'Rate',
    'Revenue',
    'Client-reported',
  ];
  const table = el(
    'table',
    { id: 'attribution-table' },
    el('caption', {}, `Conversions by channel, ${report.model} touch, ${report.from} to ${report.to}`),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headings.map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          { 'data-channel': row.group },
          el('th', { scope: 'row' }, label(row.group)),
          el('td', {}, row.sent),
          el('td', {}, row.delivered),
          el('td', {}, row.engaged),
          el('td', { 'data-field': 'conversions' }, money(row.conversions)),
          el('td', {}, row.conversionRate === null ? '—' : `${money(row.conversionRate * 100)}%`),
          el('td', { 'data-field': 'revenue' }, revenueText(row.revenue)),
          el('td', {}, money(row.clientReportedConversions)),
        ),
      ),
    ),
  );
  document
    .getElementById('attribution-chart')
    .replaceChildren(
      rows.length === 0
        ? el('p', { class: 'hint' }, 'Nothing sent or converted yet.')
        : el('div', {}, bars, table),
    );
  for (const bar of document.querySelectorAll('#attribution .bar')) bar.style.width = `${bar.dataset.width}%`;
}

// --- journeys ------------------------------------------------------------------------------------

/** Each deployed journey (GET /v1/journeys) with its counts (GET /v1/journeys/{journeyId}/stats). */
async function loadJourneys() {
  const out = document.getElementById('journeys-list');
  const response = await fetch('/v1/journeys');
  if (!response.ok) {
    out.replaceChildren(
      el('p', { class: 'notice' }, `Journeys are not available (HTTP ${response.status}).`),
    );
    return;
  }
  const { journeys } = await response.json();
  if (journeys.length === 0) {
    out.replaceChildren(el('p', { class: 'hint' }, 'No journey is deployed.'));
    return;
  }
  const stats = await Promise.all(
    journeys.map(async (journey) => {
      const answer = await fetch(`/v1/journeys/${encodeURIComponent(journey.journeyId)}/stats`);
      return answer.ok ? answer.json() : undefined;
    }),
  );
  out.replaceChildren(...journeys.map((journey, index) => renderJourneyCard(journey, stats[index])));
  for (const bar of out.querySelectorAll('.bar')) bar.style.width = `${bar.dataset.width}%`;
}

const RUN_COUNTS = [
  ['entered', 'Entered', (stats) => stats.entered],
  ['waiting', 'Waiting', (stats) => stats.waiting],
  ['exited', 'Exited', (stats) => stats.exited.completed + stats.exited.goal + stats.exited.cancelled],
  ['converted', 'Converted', (stats) => stats.converted],
  ['heldOut', 'Holdout', (stats) => stats.heldOut],
  ['heldOutConverted', 'Holdout converted', (stats) => stats.heldOutConverted ?? 0],
  ['lift', 'Lift', (stats) => liftText(stats.lift)],
  ['completed', 'Completed', (stats) => stats.exited.completed],
  ['cancelled', 'Cancelled', (stats) => stats.exited.cancelled],
];

/** The journey's lift over its holdout as a signed percentage (`+25%`), or — with nothing to compare. */
function liftText(lift) {
  if (lift === null || lift === undefined) return '—';
  const percent = Math.round(lift * 100);
  return `${percent > 0 ? '+' : ''}${percent}%`;
}

/** Outcomes of a step in words: `sent cart-reminder 3, timeout 2`. */
function outcomesText(outcomes) {
  const listed = Object.entries(outcomes || {});
  return listed.length === 0 ? '—' : listed.map(([outcome, n]) => `${outcome} ${n}`).join(', ');
}

// A journey as its steps in document order, each with its counts; a bar (for the eye) of the runs
// that took the step against those that entered; the tables are what screen readers and tests read.
function renderJourneyCard(journey, stats) {
  const title = `${journey.name || journey.journeyId} (${journey.journeyId}, v${journey.version})`;
  const card = (...content) =>
    el(
      'article',
      {
        class: 'journey-card',
        'data-journey': journey.journeyId,
        'aria-label': `Journey ${journey.journeyId}`,
      },
      el('h3', {}, title),
      ...content,
    );
  if (!stats) return card(el('p', { class: 'notice' }, 'No counts for this journey.'));
  const byStep = new Map((stats.steps || []).map((step) => [step.stepId, step]));
  const entered = Math.max(1, stats.entered);
  return card(
    journey.description ? el('p', { class: 'hint' }, journey.description) : null,
    el(
      'table',
      { class: 'journey-runs' },
      el('caption', {}, `Runs of ${journey.journeyId}, every version`),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          RUN_COUNTS.map(([, label]) => el('th', { scope: 'col' }, label)),
        ),
      ),
      el(
        'tbody',
        {},
        el(
          'tr',
          {},
          RUN_COUNTS.map(([field, , count]) => el('td', { 'data-field': field }, count(stats))),
        ),
      ),
    ),
    el(
      'table',
      { class: 'journey-steps' },
      el('caption', {}, `Steps of ${journey.journeyId}`),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Step', 'Type', 'Taken', 'Waiting', 'Outcomes', ''].map((h) => el('th', { scope: 'col' }, h)),
        ),
      ),
      el(
        'tbody',
        {},
        journey.steps.map((step) => {
          const counts = byStep.get(step.id) || { taken: 0, waiting: 0, outcomes: {} };
          return el(
            'tr',
            { 'data-step': step.id },
            el('th', { scope: 'row' }, step.id),
            el('td', { 'data-field': 'type' }, step.type),
            el('td', { 'data-field': 'taken' }, counts.taken),
            el('td', { 'data-field': 'waiting' }, counts.waiting),
            el('td', { 'data-field': 'outcomes' }, outcomesText(counts.outcomes)),
            el(
              'td',
              { 'aria-hidden': 'true' },
              el('div', {
                class: 'bar',
                'data-width': String(Math.round((100 * (counts.taken + counts.waiting)) / entered)),
              }),
            ),
          );
        }),
      ),
    ),
  );
}

// --- live updates ------------------------------------------------------------------------------

let funnelTimer;
function scheduleFunnel() {
  clearTimeout(funnelTimer);
  funnelTimer = setTimeout(() => {
    loadFunnel().catch(() => {});
    loadAttribution().catch(() => {});
  }, 300);
}

function connect() {
  const status = document.getElementById('connection');
  const source = new EventSource('api/events');
  source.addEventListener('hello', (event) => {
    const hello = JSON.parse(event.data);
    status.textContent = `Live · ${hello.handlers.loaded.length} handlers running`;
    showDlqDepths(hello.dlq);
  });
  source.addEventListener('outbox', (event) => {
    const change = JSON.parse(event.data);
    upsertEntry(change.entry, change.kind === 'added');
    scheduleFunnel();
    refreshTimelineSoon();
  });
  source.addEventListener('funnel', (event) => {
    clearTimeout(funnelTimer);
    showFunnel(JSON.parse(event.data));
  });
  source.addEventListener('dlq', (event) => {
    showDlqDepths(JSON.parse(event.data));
    loadDeadLetters().catch(() => {});
  });
  source.addEventListener('error', () => {
    status.textContent = 'Disconnected — retrying…';
  });
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('outbox-channel').addEventListener('change', showOutbox);
  document.getElementById('dlq-refresh').addEventListener('click', () => loadDeadLetters());
  document.getElementById('customer-search').addEventListener('submit', searchCustomers);
  document.getElementById('timeline-form').addEventListener('submit', showTimeline);
  document.getElementById('attribution-model').addEventListener('change', () => loadAttribution());
  document.getElementById('journeys-refresh').addEventListener('click', () => loadJourneys());
  Promise.all([
    loadOutbox(),
    loadDeadLetters(),
    loadFunnel(),
    loadAttribution(),
    loadJourneys(),
    searchCustomers(),
  ]).catch((error) => announce(`Could not load: ${error}`));
  // Inbound replies and consent changes do not pass through the outbox: poll the open timeline too.
  setInterval(refreshTimelineSoon, 2000);
  // Conversions arrive as touchpoints, not through the outbox: poll the report too (32 Queries, local).
  setInterval(() => loadAttribution().catch(() => {}), 5000);
  // Journey counts change as runs advance on the streams and timers, not through the outbox.
  setInterval(() => loadJourneys().catch(() => {}), 5000);
  connect();
});
