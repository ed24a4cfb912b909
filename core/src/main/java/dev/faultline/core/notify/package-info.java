/**
 * One summary message per run or suite, after the report is written: a Slack incoming webhook
 * (Block Kit) and a generic JSON webhook. URLs come from code (the scripts and the DSL pass
 * FAULTLINE_SLACK_WEBHOOK and FAULTLINE_WEBHOOK_URL, read by {@code dev.faultline.core.cli.Settings}); they are secrets and never printed or written. A failed
 * notification is a warning, never a failed run.
 */
package dev.faultline.core.notify;
