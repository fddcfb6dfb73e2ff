package dev.sorabatch.webhook;

/**
 * A verified callback.
 *
 * @param key        what identifies this delivery for replay protection (the provider's delivery id)
 * @param validUntil epoch millis until which a copy of it would still pass the timestamp check: it is remembered
 *                   that long
 * @param jobId      the provider's id of the job it is about
 */
record Delivery(String key, long validUntil, String jobId) {
}
