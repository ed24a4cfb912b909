/**
 * The JUnit 5 extension: {@link dev.faultline.junit.FaultlineTest} on a class brings a Compose stack up
 * (or attaches to a running one), injects a ready {@link dev.faultline.dsl.Project}, restores the stack
 * between tests and tears down what it started.
 */
package dev.faultline.junit;
