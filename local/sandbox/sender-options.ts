/** Options shared by the sandbox senders. */
import type { SandboxCallbacks } from './callbacks';
import type { SandboxCredentials } from './credentials';
import type { SandboxOutbox } from './outbox';

/** What every sandbox sender needs. */
export interface SandboxSenderOptions {
  readonly outbox: SandboxOutbox;
  readonly callbacks: SandboxCallbacks;
  readonly credentials: SandboxCredentials;
  /** Delay before the first callback (`sent`, `processed`); 250 ms unless set. */
  readonly firstCallbackMs?: number;
  /** Delay between later callbacks (`delivered`, `read`, …); 1.5 s unless set. */
  readonly callbackStepMs?: number;
  /** Also simulate the person reading (WhatsApp `read`, email `open`); on unless set to false. */
  readonly simulateEngagement?: boolean;
}

/** The delays of a sender, with defaults. */
export function callbackDelays(options: SandboxSenderOptions): { first: number; step: number } {
  return { first: options.firstCallbackMs ?? 250, step: options.callbackStepMs ?? 1_500 };
}
