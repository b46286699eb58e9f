/**
 * Customers: companies and communities that own Webcam services (virtual office PBXs). Any
 * account creates customers; each has a management team of an owner and managers, who run its
 * services and pay its bills (spec/services.md).
 */
import { z } from "zod";

export const CustomerRole = { Owner: "owner", Manager: "manager" } as const;
export type CustomerRoleValue = (typeof CustomerRole)[keyof typeof CustomerRole];

export interface TeamMemberView {
  user_id: string;
  display_name: string | null;
  role: CustomerRoleValue;
}

export interface CustomerView {
  customer_id: string;
  name: string;
  kind: "company" | "community";
  team: TeamMemberView[];
  created_at: number;
}

export const CreateCustomerRequest = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(["company", "community"]).default("company"),
});

/** Adds a manager by the e-mail address (or number, or user name) of their account. */
export const AddManagerRequest = z.object({ handle: z.string().trim().min(1).max(320) });

export const customersSchemas = { CreateCustomerRequest, AddManagerRequest } as const;
