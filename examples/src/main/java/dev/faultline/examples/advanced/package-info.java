/**
 * Advanced scenarios composed in code: two faults on two services at once, open-model load with
 * tracked writes under repeated chaos, and a cascade from the database through Gunicorn to nginx.
 * {@link dev.faultline.examples.advanced.GameDay} runs the seed experiments and these in order
 * against a steady stack; {@link dev.faultline.examples.advanced.Trend} compares a run with the
 * ones before it. Each scenario is also a script in scripts/advanced/.
 */
package dev.faultline.examples.advanced;
