/**
 * One slot's decision as plain numbers, reused across packets; the host turns it into an
 * Observation only when the caller wants objects (the batch path never does).
 */
import { Act, Detail, Reason, Table } from './codes';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const Act_Pass = Act.Pass;
const Detail_None = Detail.None;
const Reason_Pass = Reason.Pass;
const Table_None = Table.None;

export class SlotResult {
  action: Act = Act_Pass;
  table: Table = Table_None;
  reason: Reason = Reason_Pass;
  detail: Detail = Detail_None;
  ruleId = -1;
  /** L2 rule that allowed the frame before L3 ran, -1 if none. */
  l2RuleId = -1;

  reset(): void {
    this.action = Act_Pass;
    this.table = Table_None;
    this.reason = Reason_Pass;
    this.detail = Detail_None;
    this.ruleId = -1;
    this.l2RuleId = -1;
  }

  set(action: Act, table: Table, reason: Reason, ruleId = -1, detail: Detail = Detail_None): void {
    this.action = action;
    this.table = table;
    this.reason = reason;
    this.ruleId = ruleId;
    this.detail = detail;
  }
}
