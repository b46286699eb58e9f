import { EntitySchema } from "typeorm";

export interface AccountRow {
  userId: string;
  kind: "user" | "guest" | "service";
  /** pg returns bigint as a string; numbers are 9 digits. */
  number: string | null;
  username: string | null;
  email: string | null;
  passwordHash: string | null;
  displayName: string | null;
  avatarUrl: string | null;
  deactivated: boolean;
  createdAt: Date;
  /** Another provider's party (a remote caller or SMS sender): its home provider; null for ours. */
  provider: string | null;
  /** How a remote party is dialled from here (`<number>@<provider>`); null for ours. */
  remoteHandle: string | null;
}

export const AccountEntity = new EntitySchema<AccountRow>({
  name: "Account",
  tableName: "accounts",
  columns: {
    userId: { name: "user_id", type: "text", primary: true },
    kind: { type: "text" },
    number: { type: "bigint", nullable: true, unique: true },
    username: { type: "text", nullable: true, unique: true },
    email: { type: "text", nullable: true, unique: true },
    passwordHash: { name: "password_hash", type: "text", nullable: true },
    displayName: { name: "display_name", type: "text", nullable: true },
    avatarUrl: { name: "avatar_url", type: "text", nullable: true },
    deactivated: { type: "boolean", default: false },
    createdAt: { name: "created_at", type: "timestamptz", createDate: true },
    provider: { type: "text", nullable: true },
    remoteHandle: { name: "remote_handle", type: "text", nullable: true },
  },
});
