// Not built yet: see README.
export {};
