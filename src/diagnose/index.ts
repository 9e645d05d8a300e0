/**
 * The diagnosis: every rule, registered in one list, run over the finished model.
 * Session findings go into their session, capture-level findings are returned.
 */
import type { Finding } from "../report/schema.js";
import { captureTruncated } from "./capture-truncated.js";
import type { CaptureFacts } from "./facts.js";
import { limitReached } from "./limit-reached.js";
import { malformed } from "./malformed.js";
import type { Rule } from "./rule.js";
import { unknownCallId } from "./unknown-call-id.js";
import { replyFromOtherAddress } from "./reply-from-other-address.js";
import { dialTargetMismatch } from "./dial-target-mismatch.js";
import { pppPeerNotResponding } from "./ppp-peer-not-responding.js";
import { greBlocked } from "./gre-blocked.js";
import { controlNoAnswer } from "./control-no-answer.js";
import { controlRefused } from "./control-refused.js";
import { controlRejected } from "./control-rejected.js";
import { callRejected } from "./call-rejected.js";
import { authFailed } from "./auth-failed.js";
import { lcpFailed } from "./lcp-failed.js";
import { ipcpFailed } from "./ipcp-failed.js";
import { ccpFailed } from "./ccp-failed.js";
import { echoTimeout } from "./echo-timeout.js";
import { callIdMismatch } from "./call-id-mismatch.js";
import { greLoss } from "./gre-loss.js";

/** Every rule, in the order their findings are listed (the order of DESIGN.md's table). */
export const RULES: readonly Rule[] = [
  replyFromOtherAddress,
  dialTargetMismatch,
  pppPeerNotResponding,
  greBlocked,
  controlNoAnswer,
  controlRefused,
  controlRejected,
  callRejected,
  authFailed,
  lcpFailed,
  ipcpFailed,
  ccpFailed,
  echoTimeout,
  callIdMismatch,
  greLoss,
  unknownCallId,
  captureTruncated,
  malformed,
  limitReached,
];

export function ruleFor(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}

export function diagnose(capture: CaptureFacts, rules: readonly Rule[] = RULES): Finding[] {
  // indexed loops: a for-of allocates an iterator result per step until the loop is optimized (rules x sessions steps)
  const { sessions } = capture;
  for (let s = 0; s < sessions.length; s++) {
    const facts = sessions[s];
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      if (rule.session === undefined) continue;
      // most rules find nothing in most sessions: spread only what they found
      const found = rule.session(facts, capture);
      if (found.length > 0) facts.session.findings.push(...found);
    }
  }
  const findings: Finding[] = [];
  for (const rule of rules) if (rule.capture) findings.push(...rule.capture(capture));
  return findings;
}
