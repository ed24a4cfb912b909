/**
 * Removes secrets (DSN passwords, Authorization and Cookie headers, webhook URLs, Django secret keys,
 * values the caller names) from text before it reaches a report, a journal, a copied log, an exception
 * message or a {@code toString}. Everything faultline writes to disk or prints goes through {@link
 * dev.faultline.core.redact.Redactor}.
 */
package dev.faultline.core.redact;
