// Deliberately illegal: a product importing another product's lib. Ignored by `npm run lint`;
// `npm run lint:boundaries` lints it and fails unless the scope rule refuses it.
import { DetectionEngine } from '@vigil/playbooks';

export const illegal = DetectionEngine;
