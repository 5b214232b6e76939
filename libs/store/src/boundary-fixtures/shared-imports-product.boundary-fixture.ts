// Deliberately illegal: a shared lib importing a product's lib. Ignored by `npm run lint`;
// `npm run lint:boundaries` lints it and fails unless the scope rule refuses it.
import { ScanRequestChecker } from '@vigil/scans';

export const illegal = ScanRequestChecker;
