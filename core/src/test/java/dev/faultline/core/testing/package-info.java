/**
 * Test fixtures shared with other modules' tests through core's test-jar: {@link
 * dev.faultline.core.testing.FakeEngine} for unit tests, {@link dev.faultline.core.testing.DemoStack}
 * to run the demo stack under a unique project and port in integration tests.
 */
package dev.faultline.core.testing;
