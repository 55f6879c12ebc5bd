// The rule core lives in @isolation/core; modules of the runtime that run it import it from here.
export * from '@isolation/core';
