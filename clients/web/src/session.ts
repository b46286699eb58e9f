/** The signed-in session, kept in localStorage so that a reload stays signed in. */
export interface Session {
  userId: string;
  accessToken: string;
  deviceId: string;
  guest: boolean;
}

const STORAGE_KEY = "callsign.session";

export function loadSession(): Session | null {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.userId !== "string" || typeof value.accessToken !== "string") return null;
    return {
      userId: value.userId,
      accessToken: value.accessToken,
      deviceId: typeof value.deviceId === "string" ? value.deviceId : "",
      guest: value.guest === true,
    };
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(STORAGE_KEY);
}
