/**
 * AssertJ assertions on experiment results: {@code assertThat(result).held()}. assertj-core is an
 * optional dependency of the DSL: this package works only where the test class path has it.
 */
package dev.faultline.dsl.assertj;
