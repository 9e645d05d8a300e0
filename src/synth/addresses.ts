/** Text forms of addresses to bytes, for the builders (fixtures write addresses as text). */

/** An address as text ("192.0.2.1", "2001:db8::1", "aa:bb:cc:dd:ee:ff") or as its bytes. */
export type AddressInput = string | Uint8Array;

/** "a.b.c.d" to 4 bytes. */
export function ipv4Address(text: string): Buffer {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw new SyntaxError(`not an IPv4 address: ${JSON.stringify(text)}`);
  }
  return Buffer.from(parts.map(Number));
}

/** IPv6 text (RFC 4291 §2.2: hex groups, one "::", optional dotted IPv4 tail) to 16 bytes. */
export function ipv6Address(text: string): Buffer {
  const bad = () => new SyntaxError(`not an IPv6 address: ${JSON.stringify(text)}`);
  const halves = text.split("::");
  if (halves.length > 2) throw bad();
  // A dotted IPv4 tail may only end the whole address.
  const groups = (half: string, mayEndDotted: boolean): number[] => {
    if (half === "") return [];
    const words: number[] = [];
    const items = half.split(":");
    items.forEach((item, index) => {
      if (mayEndDotted && index === items.length - 1 && item.includes(".")) {
        const v4 = ipv4Address(item);
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        words.push(parseInt(item, 16));
      } else {
        throw bad();
      }
    });
    return words;
  };
  const head = groups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1], true) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) throw bad();
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(w, 2 * i));
  return out;
}

/** IPv4 or IPv6 text (told apart by the colon) or bytes (4 or 16) to bytes. */
export function ipAddress(address: AddressInput): Uint8Array {
  if (typeof address !== "string") {
    if (address.length !== 4 && address.length !== 16) {
      throw new RangeError(`an IP address has 4 or 16 bytes, got ${address.length}`);
    }
    return address;
  }
  return address.includes(":") ? ipv6Address(address) : ipv4Address(address);
}

/** "aa:bb:cc:dd:ee:ff" (or with "-") to 6 bytes; bytes pass through. */
export function macAddress(address: AddressInput): Uint8Array {
  if (typeof address !== "string") {
    if (address.length !== 6) throw new RangeError(`a MAC address has 6 bytes, got ${address.length}`);
    return address;
  }
  const parts = address.split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) {
    throw new SyntaxError(`not a MAC address: ${JSON.stringify(address)}`);
  }
  return Buffer.from(parts.map((p) => parseInt(p, 16)));
}
