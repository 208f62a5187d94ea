import { AuditEntry } from '../../../../shared/src/audit';

export { AuditEntry };

export const entities = [AuditEntry];
