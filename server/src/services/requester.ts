/** Who is making an authenticated request. */
export interface Requester {
  userId: string;
  deviceId: string;
  isGuest: boolean;
}
