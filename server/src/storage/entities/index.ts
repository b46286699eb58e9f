export { AccountEntity, type AccountRow } from "./account.js";
export { DeviceEntity, AccessTokenEntity, type DeviceRow, type AccessTokenRow } from "./device.js";
