/**
 * Experiments composed in code, for embedding: the seed's four experiments with their bounds as
 * parameters, a multi-fault scenario and load plus chaos. The tests next to them show how to run
 * them inside ordinary JUnit 5 tests and assert on the results with AssertJ.
 */
package dev.faultline.examples;
