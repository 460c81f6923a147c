// Not built yet: see this package's README for what is planned.
export {};
