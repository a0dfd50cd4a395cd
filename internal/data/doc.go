// Package data is Protokol's domain: the Meeting and Budget documents of the
// public JSON contract (docs/contract.md), their strict decoding, and their
// validation. It imports nothing else of Protokol.
//
// Decoding is strict: an unknown field, a value of the wrong JSON type or
// invalid UTF-8 is an error naming the field's JSON path, never silently
// dropped. Validate then checks every rule of the contract and reports every
// problem at once as a *ValidationError.
package data
