/**
 * The stack's own logs for an experiment's window: capture from the engine ({@link
 * dev.faultline.core.logs.LogCapture}), reading {@code docker logs --timestamps} files, and analysis
 * against the known messages of Nginx, Gunicorn, Django/psycopg and PostgreSQL ({@link
 * dev.faultline.core.logs.LogPatterns}), ending in the "error visibility" finding: did the logs name
 * the failure users saw?
 */
package dev.faultline.core.logs;
