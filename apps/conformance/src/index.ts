export {
  type EchoReply,
  type ExpectedError,
  checkError,
  echoed,
  expectBodyError,
  expectHttpError,
  readEcho,
} from './assertions.js';
export { AREAS, type Area, type CaseContext, type ConformanceCase } from './case.js';
export { ALL_CASES } from './cases/index.js';
export { ALL_FEATURES, type Feature, FEATURES, isFeature } from './features.js';
export { formatConsoleMatrix } from './report/console-matrix.js';
export { formatMarkdown } from './report/markdown.js';
export { writeReports } from './report/write-reports.js';
export type {
  CaseResult,
  CaseStatus,
  CaseSummary,
  ConformanceReport,
  SubjectReport,
  Totals,
} from './result.js';
export {
  type CreateEnvironment,
  type RunOptions,
  runConformance,
  runMatrix,
  type TransportUnderTest,
} from './runner.js';
export { generateCertificates, type SuiteCertificates } from './servers/certificates.js';
export { type SuiteServers, startSuiteServers } from './servers/suite-servers.js';
export { createNodeHttpTransport } from './subjects/node-http-transport.js';
export { repositorySubjects } from './subjects/repository-subjects.js';
