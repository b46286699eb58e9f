import { EntitySchema } from "typeorm";

export interface DeviceRow {
  userId: string;
  deviceId: string;
  displayName: string | null;
  createdAt: Date;
  lastSeenAt: Date | null;
}

export const DeviceEntity = new EntitySchema<DeviceRow>({
  name: "Device",
  tableName: "devices",
  columns: {
    userId: { name: "user_id", type: "text", primary: true },
    deviceId: { name: "device_id", type: "text", primary: true },
    displayName: { name: "display_name", type: "text", nullable: true },
    createdAt: { name: "created_at", type: "timestamptz", createDate: true },
    lastSeenAt: { name: "last_seen_at", type: "timestamptz", nullable: true },
  },
});

export interface AccessTokenRow {
  tokenHash: string;
  userId: string;
  deviceId: string;
  createdAt: Date;
}

export const AccessTokenEntity = new EntitySchema<AccessTokenRow>({
  name: "AccessToken",
  tableName: "access_tokens",
  columns: {
    tokenHash: { name: "token_hash", type: "text", primary: true },
    userId: { name: "user_id", type: "text" },
    deviceId: { name: "device_id", type: "text" },
    createdAt: { name: "created_at", type: "timestamptz", createDate: true },
  },
});
