/**
 * The fluent DSL over core: {@code Chaos.on("web").kill().expect(health(200)).within(ofSeconds(30))}
 * for one fault, {@code Chaos.experiment("name")...run()} for a full experiment. Entry points
 * are small static classes, one per concern ({@link dev.faultline.dsl.Chaos},
 * {@link dev.faultline.dsl.Probes}, {@link dev.faultline.dsl.Expectations}); every step returns a
 * new immutable value and validates its arguments at once; the stages are sealed so that an
 * incomplete experiment does not compile.
 */
package dev.faultline.dsl;
