/**
 * One slot's decision as plain numbers, reused across packets; the host turns it into an
 * Observation only when the caller wants objects (the batch path never does).
 */
import { Act, Detail, Reason, Table } from './codes';

export class SlotResult {
  action: Act = Act.Pass;
  table: Table = Table.None;
  reason: Reason = Reason.Pass;
  detail: Detail = Detail.None;
  ruleId = -1;
  /** L2 rule that allowed the frame before L3 ran, -1 if none. */
  l2RuleId = -1;

  reset(): void {
    this.action = Act.Pass;
    this.table = Table.None;
    this.reason = Reason.Pass;
    this.detail = Detail.None;
    this.ruleId = -1;
    this.l2RuleId = -1;
  }

  set(action: Act, table: Table, reason: Reason, ruleId = -1, detail: Detail = Detail.None): void {
    this.action = action;
    this.table = table;
    this.reason = reason;
    this.ruleId = ruleId;
    this.detail = detail;
  }
}
