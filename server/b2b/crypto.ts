// ProphetX user tokens at rest: AES-256-GCM with a 32-byte key (TOKEN_ENCRYPTION_KEY, 64 hex chars).
// Stored form: "v1.<iv b64url>.<tag b64url>.<ciphertext b64url>", with the row id as associated data
// so a ciphertext copied into another row does not decrypt. Also signs our opaque session cookie.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export class TokenCrypto {
  private readonly key: Buffer;
  private readonly macKey: Buffer;

  constructor(keyHex: string) {
    if (!/^[0-9a-fA-F]{64}$/.test(keyHex)) throw new Error("TOKEN_ENCRYPTION_KEY must be 64 hex characters (32 bytes)");
    this.key = Buffer.from(keyHex, "hex");
    this.macKey = createHmac("sha256", this.key).update("px-odds-session-cookie").digest();
  }

  encrypt(plain: string, aad: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.key, iv);
    c.setAAD(Buffer.from(aad, "utf8"));
    const ct = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return ["v1", iv.toString("base64url"), c.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
  }

  decrypt(stored: string, aad: string): string {
    const [v, iv, tag, ct] = stored.split(".");
    if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("not an encrypted token");
    const d = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    d.setAAD(Buffer.from(aad, "utf8"));
    d.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([d.update(Buffer.from(ct, "base64url")), d.final()]).toString("utf8");
  }

  /** Cookie value for a session id: "<id>.<hmac>" (the id alone is not enough to forge a cookie). */
  signSessionId(id: string): string {
    return `${id}.${createHmac("sha256", this.macKey).update(id).digest("base64url")}`;
  }

  /** The session id of a signed cookie value, or null when the signature does not match. */
  verifySessionCookie(value: string): string | null {
    const i = value.lastIndexOf(".");
    if (i <= 0) return null;
    const id = value.slice(0, i);
    const want = Buffer.from(this.signSessionId(id).slice(i + 1));
    const got = Buffer.from(value.slice(i + 1));
    return want.length === got.length && timingSafeEqual(want, got) ? id : null;
  }
}
