// Test helpers for code that uses or implements the session library (Go: package sessiontest).
// Imports node:assert but no test runner, so any runner can use them.
export {
	BAD_IDS,
	type ConformanceCheck,
	type ConformanceOptions,
	describeStateStoreConformance,
	describeStoreConformance,
	type Factory,
	type Fixture,
	GOOD_IDS,
	stateStoreChecks,
	storeChecks,
	type TestApi,
} from './conformance.js';
export {mockLocal} from './mock-local.js';
