/**
 * A typed client for Switchboard's customer and message API (`/v1/...`). It validates what it
 * sends against the contract first, so a bad profile or request fails in the caller's code with
 * the same field-level issues the API would return.
 */
import {
  type ApiErrorBody,
  type AttributionReport,
  type AttributionReportQuery,
  type ConsentChange,
  ConsentChangeSchema,
  ContractValidationError,
  type CustomerBody,
  type CustomerInput,
  CustomerSchema,
  type JourneyCancelRequest,
  JourneyCancelRequestSchema,
  type JourneyList,
  type JourneyRunsCancelled,
  type JourneyStats,
  type MessageAccepted,
  type MessageRequestInput,
  MessageRequestSchema,
  safeParseWith,
  type TimelineChannel,
  type TimelineEntryType,
  type TimelinePage,
  type TouchpointEventInput,
  type TouchpointsAccepted,
} from '../../../functions/contract';

/** A request about to be sent, for a signer to add headers to. */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Which page of a timeline to read, and which entries. */
export interface TimelineOptions {
  /** Entries per page, 1 to 100 (25 by default). */
  readonly limit?: number;
  /** The previous page's `nextCursor`. */
  readonly cursor?: string;
  /** Only these kinds of entry. */
  readonly types?: readonly TimelineEntryType[];
  /** Only entries on these channels (message channels, or web, mobile, store, … for touchpoints and conversions). */
  readonly channels?: readonly TimelineChannel[];
  /** Only entries at or after this ISO 8601 time. */
  readonly since?: string;
}

/** Options for {@link SwitchboardApiClient}. */
export interface SwitchboardApiClientOptions {
  /** The HTTP API's URL (stack output `HttpApiUrl`, or `httpUrl` in `.switchboard/local.json`). */
  readonly baseUrl: string;
  /** Adds authentication headers; on AWS use {@link sigV4Signer} (the API is IAM-authorised). */
  readonly sign?: (request: OutgoingRequest) => Promise<Record<string, string>>;
  /** A fetch implementation; the global one by default. */
  readonly fetch?: typeof fetch;
}

/** The API answered with an error. `issues` holds the field-level problems of a 400. */
export class SwitchboardApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  constructor(status: number, body: ApiErrorBody) {
    // API Gateway's own refusals (IAM, throttling) carry only `message`, whatever the type says.
    super(body.error ? `${status} ${body.error}: ${body.message}` : `${status}: ${body.message}`);
    this.name = 'SwitchboardApiError';
    this.status = status;
    this.body = body;
  }
}

/** Calls the customer and message API. */
export class SwitchboardApiClient {
  readonly #options: SwitchboardApiClientOptions;

  constructor(options: SwitchboardApiClientOptions) {
    this.#options = options;
  }

  /** Creates or replaces a profile. Throws ContractValidationError before sending a bad one. */
  async putCustomer(customer: CustomerInput): Promise<CustomerBody> {
    const parsed = safeParseWith(CustomerSchema, customer);
    if (!parsed.success) throw new ContractValidationError('Customer', parsed.issues);
    return this.#call<CustomerBody>('PUT', customerPath(customer.customerId), customer);
  }

  /** A profile, or undefined when there is none. */
  async getCustomer(customerId: string): Promise<CustomerBody | undefined> {
    try {
      return await this.#call<CustomerBody>('GET', customerPath(customerId));
    } catch (error) {
      if (error instanceof SwitchboardApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Erases a customer: profile, address index, timeline; opt-outs survive as hashed suppressions. */
  async deleteCustomer(customerId: string): Promise<void> {
    await this.#call<void>('DELETE', customerPath(customerId));
  }

  /** Records one consent decision; returns the profile after it. */
  async setConsent(customerId: string, change: ConsentChange): Promise<CustomerBody> {
    const parsed = safeParseWith(ConsentChangeSchema, change);
    if (!parsed.success) throw new ContractValidationError('ConsentChange', parsed.issues);
    return this.#call<CustomerBody>('PUT', `${customerPath(customerId)}/consent`, change);
  }

  /**
   * One page of a customer's timeline: typed entries (`message`, `inbound`, `consent`, `touchpoint`,
   * `conversion`, `click`, `journey`), newest first; pass `nextCursor` back for the next page.
   */
  async timeline(customerId: string, options: TimelineOptions = {}): Promise<TimelinePage> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor) query.set('cursor', options.cursor);
    if (options.types) query.set('types', options.types.join(','));
    if (options.channels) query.set('channels', options.channels.join(','));
    if (options.since) query.set('since', options.since);
    const suffix = query.size > 0 ? `?${query}` : '';
    return this.#call<TimelinePage>('GET', `${customerPath(customerId)}/timeline${suffix}`);
  }

  /** Validates a request and has Switchboard enqueue it; returns the message id it will have. */
  async sendMessage(request: MessageRequestInput): Promise<MessageAccepted> {
    const parsed = safeParseWith(MessageRequestSchema, request);
    if (!parsed.success) throw new ContractValidationError('MessageRequest', parsed.issues);
    return this.#call<MessageAccepted>('POST', '/v1/messages', request);
  }

  /**
   * Records touchpoint events (`POST /v1/events`). Sent unvalidated on purpose: the API checks each
   * event on its own, keeps the valid ones and reports the others in the answer's `results`.
   */
  async recordEvents(
    body: TouchpointEventInput | { readonly batch: readonly TouchpointEventInput[] },
  ): Promise<TouchpointsAccepted> {
    return this.#call<TouchpointsAccepted>('POST', '/v1/events', body);
  }

  /**
   * The attribution report (`GET /v1/reports/attribution`): rows per channel, template or campaign
   * over inclusive UTC days, under the `last` (default), `first` or `linear` model.
   */
  async attributionReport(query: Partial<AttributionReportQuery> = {}): Promise<AttributionReport> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
    const suffix = params.size > 0 ? `?${params}` : '';
    return this.#call<AttributionReport>('GET', `/v1/reports/attribution${suffix}`);
  }

  /** The deployed journeys (`GET /v1/journeys`), each with its current version and steps. */
  async journeys(): Promise<JourneyList> {
    return this.#call<JourneyList>('GET', '/v1/journeys');
  }

  /** A journey's counts, every version summed (`GET /v1/journeys/{journeyId}/stats`). */
  async journeyStats(journeyId: string): Promise<JourneyStats> {
    return this.#call<JourneyStats>('GET', `${journeyPath(journeyId)}/stats`);
  }

  /**
   * Cancels a customer's active runs of a journey, or the run of one business key; resolves to how
   * many were cancelled. Throws ContractValidationError before sending a bad request.
   */
  async cancelJourneyRuns(journeyId: string, request: JourneyCancelRequest): Promise<JourneyRunsCancelled> {
    const parsed = safeParseWith(JourneyCancelRequestSchema, request);
    if (!parsed.success) throw new ContractValidationError('JourneyCancelRequest', parsed.issues);
    return this.#call<JourneyRunsCancelled>('POST', `${journeyPath(journeyId)}/cancel`, request);
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.#options.baseUrl.replace(/\/?$/, '/'));
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      host: url.host,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const signed = this.#options.sign
      ? await this.#options.sign({ method, url, headers, ...(text === undefined ? {} : { body: text }) })
      : headers;
    const { host: _host, ...sendable } = signed;
    const response = await (this.#options.fetch ?? fetch)(url, {
      method,
      headers: sendable,
      ...(text === undefined ? {} : { body: text }),
    });
    const raw = await response.text();
    if (!response.ok) {
      let parsed: ApiErrorBody;
      try {
        parsed = JSON.parse(raw) as ApiErrorBody;
      } catch {
        parsed = { error: 'internal_error', message: raw.slice(0, 500) || response.statusText };
      }
      throw new SwitchboardApiError(response.status, parsed);
    }
    return (raw ? JSON.parse(raw) : undefined) as T;
  }
}

function customerPath(customerId: string): string {
  return `/v1/customers/${encodeURIComponent(customerId)}`;
}

function journeyPath(journeyId: string): string {
  return `/v1/journeys/${encodeURIComponent(journeyId)}`;
}
