package dev.sorabatch.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the simulator saw and did, for tests to assert on. All methods are thread-safe. */
public final class SimulatorStats {

    private final AtomicInteger createRequests = new AtomicInteger();
    private final AtomicInteger jobsCreated = new AtomicInteger();
    private final Map<String, Integer> jobsPerPrompt = new ConcurrentHashMap<>();
    private final List<Instant> createTimes = new ArrayList<>();
    private final List<Long> generationMillis = new ArrayList<>();
    private final List<String> jobIds = new ArrayList<>();
    private final AtomicInteger statusCalls = new AtomicInteger();
    private final Map<String, Integer> statusCallsPerJob = new ConcurrentHashMap<>();
    private final AtomicInteger listCalls = new AtomicInteger();
    private final Map<String, Integer> downloads = new ConcurrentHashMap<>();
    private final List<Instant> createRequestTimes = new ArrayList<>();
    private final List<RateLimit> rateLimits = new ArrayList<>();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger lostResponses = new AtomicInteger();
    private final AtomicInteger failedJobs = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger replayedCreates = new AtomicInteger();
    private final AtomicInteger queuedOverLimit = new AtomicInteger();
    private final AtomicInteger cancels = new AtomicInteger();
    private final AtomicInteger credentialsToFileHost = new AtomicInteger();
    private final Map<Integer, Integer> callbackAnswers = new ConcurrentHashMap<>();

    /** Create and remix requests received, whatever their outcome. */
    public int createRequests() {
        return createRequests.get();
    }

    public int jobsCreated() {
        return jobsCreated.get();
    }

    public int jobsCreated(String prompt) {
        return jobsPerPrompt.getOrDefault(prompt, 0);
    }

    public Map<String, Integer> jobsPerPrompt() {
        return Map.copyOf(jobsPerPrompt);
    }

    /** A 429 answer to a create: when, and the delay it asked for. */
    public record RateLimit(Instant at, long retryAfterMillis) {
    }

    /** When each create request arrived, whatever its outcome, oldest first. */
    public List<Instant> createRequestTimes() {
        synchronized (createRequestTimes) {
            return List.copyOf(createRequestTimes);
        }
    }

    public List<RateLimit> rateLimits() {
        synchronized (rateLimits) {
            return List.copyOf(rateLimits);
        }
    }

    /** When each accepted create was admitted, oldest first. */
    public List<Instant> createTimes() {
        synchronized (createTimes) {
            return List.copyOf(createTimes);
        }
    }

    /** The generation time drawn for each accepted create, in creation order (same order as {@link #createTimes}). */
    public List<Long> generationMillis() {
        synchronized (createTimes) {
            return List.copyOf(generationMillis);
        }
    }

    /**
     * The id of each job created, in creation order (same order as {@link #createTimes}): every job paid for, for
     * tests that check none is left unaccounted for.
     */
    public List<String> jobIds() {
        synchronized (createTimes) {
            return List.copyOf(jobIds);
        }
    }

    public int statusCalls() {
        return statusCalls.get();
    }

    public int statusCalls(String jobId) {
        return statusCallsPerJob.getOrDefault(jobId, 0);
    }

    public int listCalls() {
        return listCalls.get();
    }

    /** Successful content downloads of one variant ({@code video}, {@code thumbnail}, {@code spritesheet}). */
    public int downloads(String variant) {
        return downloads.getOrDefault(variant, 0);
    }

    /** 429 answers, for either the per-minute limit or the in-flight limit. */
    public int rateLimited() {
        synchronized (rateLimits) {
            return rateLimits.size();
        }
    }

    public int serverErrors() {
        return serverErrors.get();
    }

    /** Connections closed without a response and without side effects. */
    public int drops() {
        return drops.get();
    }

    /** Creates whose job exists but whose response was never sent. */
    public int lostResponses() {
        return lostResponses.get();
    }

    /** Jobs created that will end {@code failed} (moderation included, on faces that refuse late). */
    public int failedJobs() {
        return failedJobs.get();
    }

    /** Highest number of queued plus in-progress jobs seen right after admitting a create. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Creates answered with the earlier job of the same idempotency key: nothing new was made or billed. */
    public int replayedCreates() {
        return replayedCreates.get();
    }

    /** Jobs accepted over the in-flight limit by a face that queues them (Runway THROTTLED, fal IN_QUEUE). */
    public int queuedOverLimit() {
        return queuedOverLimit.get();
    }

    /** Jobs stopped by a cancel request. */
    public int cancels() {
        return cancels.get();
    }

    /** Output file downloads that carried an {@code Authorization} header to the file host. */
    public int credentialsToFileHost() {
        return credentialsToFileHost.get();
    }

    /** Callbacks sent, by the HTTP status they were answered with (-1: no answer). */
    public Map<Integer, Integer> callbackAnswers() {
        return Map.copyOf(callbackAnswers);
    }

    /** Callbacks sent, whatever their answer. */
    public int callbacks() {
        return callbackAnswers.values().stream().mapToInt(Integer::intValue).sum();
    }

    public void reset() {
        createRequests.set(0);
        jobsCreated.set(0);
        jobsPerPrompt.clear();
        synchronized (createTimes) {
            createTimes.clear();
            generationMillis.clear();
            jobIds.clear();
        }
        statusCalls.set(0);
        statusCallsPerJob.clear();
        listCalls.set(0);
        downloads.clear();
        synchronized (createRequestTimes) {
            createRequestTimes.clear();
        }
        synchronized (rateLimits) {
            rateLimits.clear();
        }
        serverErrors.set(0);
        drops.set(0);
        lostResponses.set(0);
        failedJobs.set(0);
        maxInFlight.set(0);
        replayedCreates.set(0);
        queuedOverLimit.set(0);
        cancels.set(0);
        credentialsToFileHost.set(0);
        callbackAnswers.clear();
    }

    void countCallback(int status) {
        callbackAnswers.merge(status, 1, Integer::sum);
    }

    void countCreateRequest() {
        createRequests.incrementAndGet();
        synchronized (createRequestTimes) {
            createRequestTimes.add(Instant.now());
        }
    }

    void countJobCreated(String jobId, String prompt, Instant at, long generation, boolean fails, int inFlight) {
        jobsCreated.incrementAndGet();
        jobsPerPrompt.merge(prompt, 1, Integer::sum);
        synchronized (createTimes) {
            createTimes.add(at);
            generationMillis.add(generation);
            jobIds.add(jobId);
        }
        if (fails) {
            failedJobs.incrementAndGet();
        }
        maxInFlight.accumulateAndGet(inFlight, Math::max);
    }

    void countStatusCall(String jobId) {
        statusCalls.incrementAndGet();
        statusCallsPerJob.merge(jobId, 1, Integer::sum);
    }

    void countListCall() {
        listCalls.incrementAndGet();
    }

    void countDownload(String variant) {
        downloads.merge(variant, 1, Integer::sum);
    }

    void countRateLimited(long retryAfterMillis) {
        synchronized (rateLimits) {
            rateLimits.add(new RateLimit(Instant.now(), retryAfterMillis));
        }
    }

    void countReplayedCreate() {
        replayedCreates.incrementAndGet();
    }

    void countQueuedOverLimit() {
        queuedOverLimit.incrementAndGet();
    }

    void countCancel() {
        cancels.incrementAndGet();
    }

    void countCredentialsToFileHost() {
        credentialsToFileHost.incrementAndGet();
    }

    void countServerError() {
        serverErrors.incrementAndGet();
    }

    void countDrop() {
        drops.incrementAndGet();
    }

    void countLostResponse() {
        lostResponses.incrementAndGet();
    }
}
