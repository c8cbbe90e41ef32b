/**
 * Push device identity: one string per device, used to report and remove dead devices.
 */
import type { PushDevice } from '../contract';

/** The key that identifies a device in a profile: the FCM token, or the Web Push endpoint URL. */
export function pushDeviceKey(device: PushDevice): string {
  return device.kind === 'fcm' ? device.token : device.subscription.endpoint;
}

/** The devices left once the removed keys are taken out. */
export function withoutDevices(devices: readonly PushDevice[], removed: readonly string[]): PushDevice[] {
  const gone = new Set(removed);
  return devices.filter((device) => !gone.has(pushDeviceKey(device)));
}
