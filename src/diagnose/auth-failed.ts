/**
 * auth-failed: the PPP authentication failed (PAP Authenticate-Nak, CHAP or MS-CHAP
 * Failure, EAP Failure). MS-CHAP failures carry an error code (RFC 2433 §6, RFC 2759 §6)
 * that says why, and each has its own remedy. A failure followed by a success on a retry
 * is reported as info: the session worked.
 */
import { originBefore } from "../capture/frame.js";
import type { AuthSummary } from "../model/ppp-negotiation.js";
import type { Finding } from "../report/schema.js";
import { capitalized, checkEveryPppScope, evidence, frameText, linkEnded, otherSide, type PppScope, quoted } from "./ppp-scope.js";
import type { Rule } from "./rule.js";

/** What to do about each MS-CHAP error code (their names and meanings: MSCHAP_ERRORS in decode/ppp/chap.ts). */
const REMEDY_BY_MSCHAP_ERROR: Readonly<Record<number, string>> = {
  646: "The account may not log on at this time (restricted logon hours). Change the user's logon hours (Active Directory: Account > Logon Hours), or connect within them.",
  647: "The user's account is disabled. Enable it in the server's user database (Active Directory Users and Computers, or the local users of the VPN server).",
  648: "The user's password has expired. Change it (the Windows client offers the change when the failure says V=3; otherwise log on to the domain once), then reconnect.",
  649: "The account has no permission to connect remotely. Allow it: user properties > Dial-in > Network Access Permission: Allow access, or control access through an NPS network policy that grants it to this user.",
  691: "The user name, password or domain is wrong, or the server's authentication source (its user database, RADIUS/NPS, Active Directory) refused them. Re-enter the credentials with the domain (DOMAIN\\user), and read the server's security or NPS log for the reason it gives.",
  709: "The password change failed: the new password breaks the domain's password policy, or the old one was wrong. Choose a password that meets the policy, or have an administrator reset it.",
};

/** When there is no MS-CHAP error code: by protocol. */
const REMEDY_BY_PROTOCOL: Readonly<Record<string, string>> = {
  PAP: "The server refused the user name or password sent by PAP. Check the credentials and the server's user database or RADIUS log. PAP sends the password in clear text and gives MPPE no keys: prefer MS-CHAPv2.",
  "CHAP-MD5": "The CHAP response does not match the secret the authenticator holds for this name (RFC 1994). Check that both ends use the same name and secret.",
  EAP: "The EAP method failed. Check the user's certificate or credentials and the authenticator's log (NPS event log for Windows).",
};
const DEFAULT_REMEDY =
  "The authenticator refused the credentials. Check the user name and password (with the domain) and the authenticator's log at this time for its reason.";

/** The code name of the failure each protocol sends (RFC 1334 §2.2.2, RFC 1994 §4.2, RFC 3748 §4.2). */
const FAILURE_PACKET: Readonly<Record<string, string>> = { PAP: "Authenticate-Nak", EAP: "Failure" };

function failureText(auth: AuthSummary): { reason: string; detail: string; remedy: string } {
  const protocol = auth.protocol ?? "PPP";
  const failure = auth.detail?.msChapFailure ?? null;
  if (failure !== null) {
    const code = `E=${failure.error} ${failure.errorName}: ${failure.errorMeaning}`;
    const retry = failure.retry === null ? "" : `; R=${failure.retry ? "1 (the server allows another try)" : "0 (no retry)"}`;
    const text = failure.message === null || failure.message === "" ? "" : `; M=${failure.message}`;
    return {
      reason: code,
      detail: code + retry + text,
      remedy: REMEDY_BY_MSCHAP_ERROR[failure.error] ?? `${DEFAULT_REMEDY} Look error ${failure.error} up in the server's documentation.`,
    };
  }
  const packet = `${protocol} ${FAILURE_PACKET[protocol] ?? "Failure"}`;
  const text = auth.detail?.text ? ` with message ${quoted(auth.detail.text)}` : "";
  const method = auth.eapMethod === null ? "" : ` (method ${auth.eapMethod})`;
  return { reason: `${packet}${method}${text}`, detail: `${packet}${method}${text}`, remedy: REMEDY_BY_PROTOCOL[protocol] ?? DEFAULT_REMEDY };
}

/** The end that authenticated, with the name it gave: "user "alice" (the client 192.0.2.10)"; built only for a finding. */
function peerText(auth: AuthSummary, end: string): string {
  return auth.peerName === null ? end : `user ${quoted(auth.peerName)} (${end})`;
}

const last = <T>(list: readonly T[]): T | undefined => list[list.length - 1];

function check(scope: PppScope, auth: AuthSummary): Finding[] {
  const { ppp, ends, refs, where } = scope;
  const authenticator = auth.authenticator;
  const peer = otherSide(authenticator);
  const protocol = auth.protocol ?? "PPP";

  if (auth.result === "failure" && auth.detail !== null) {
    const { reason, detail, remedy } = failureText(auth);
    const failed = auth.detail.frame;
    const terminate = ppp.lcp.terminate;
    const after = terminate !== null && !originBefore(terminate.frame, failed) ? terminate : null;
    const ended = linkEnded(scope, after);
    const tries = auth.failures > 1 ? ` It failed ${auth.failures} times.` : "";
    return [
      {
        code: "auth-failed",
        severity: "error",
        message:
          `${capitalized(ends[authenticator])} rejected the ${protocol} authentication of ${peerText(auth, ends[peer])} on ${where}: ` +
          `${reason} (${frameText(refs, failed)}).${tries}${ended}`,
        frames: evidence(refs, [last(auth.frames.challenge), last(auth.frames.response), failed, after?.frame]),
        detail,
        remedy,
      },
    ];
  }
  if (auth.result === "success" && auth.failures > 0) {
    return [
      {
        code: "auth-failed",
        severity: "info",
        message:
          `The ${protocol} authentication of ${peerText(auth, ends[peer])} by ${ends[authenticator]} on ${where} failed ` +
          `${auth.failures === 1 ? "once" : `${auth.failures} times`} before it succeeded (a mistyped password, or a retry after a change).`,
        frames: evidence(refs, auth.frames.result),
        remedy: "Nothing to do if the user retried by hand; if the client retries on its own, check the credentials it has stored.",
      },
    ];
  }
  return [];
}

export const authFailed: Rule = {
  code: "auth-failed",
  severity: "error",
  explain: {
    meaning:
      "PPP authentication failed: the authenticator (normally the server) refused the user's PAP, CHAP, MS-CHAP or EAP credentials. For MS-CHAP the error code says why: 691 bad user name or password, 646 restricted logon hours, 647 account disabled, 648 password expired, 649 no dial-in permission, 709 password change failed.",
    onTheWire:
      'After LCP opens: PAP Authenticate-Request answered by Authenticate-Nak (ppp protocol 0xc023, code 3); CHAP Challenge/Response answered by Failure (0xc223, code 4) whose message for MS-CHAP reads "E=691 R=0 C=... V=3 M=..."; or EAP Failure (0xc227, code 4). Wireshark filter "chap.code == 4 || pap.code == 3 || eap.code == 4". The server usually ends the link with LCP Terminate-Request right after.',
    remedy:
      "Act on the error: 691 check user name, password and domain (and the server's security/NPS log); 646 logon hours; 647 enable the account; 648 change the expired password; 649 grant dial-in (network access) permission; 709 choose a password that meets the policy. For PAP or CHAP-MD5, check both ends' name and secret.",
  },
  ...checkEveryPppScope((scope) => [...check(scope, scope.ppp.auth), ...check(scope, scope.ppp.authOfServer)]),
};
