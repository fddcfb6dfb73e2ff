package dev.sorabatch.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.s3.S3Client;

import dev.sorabatch.TestSettings;
import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.provider.ContractFace;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.SimulatorStats;

/**
 * Benchmark harness: runs the packaged pipeline ({@code target/sora-batch.jar}) as a child JVM against the
 * simulator running in this JVM, and prints one table of figures (also written as JSON).
 * <p>
 * {@code java -cp target/test-classes:target/sora-batch.jar dev.sorabatch.bench.Bench [--smoke] [--out file] [scenario...]}
 * with scenarios {@code rate concurrency overhead ingest stream faults startup claims cluster} (default: all), and
 * {@code --api openai|runway|fal|replicate|vertex|bedrock|pixazo} for the adapter and simulator face the batch scenarios run with (default
 * openai; the figures of another are named {@code <scenario>-<api>}).
 * {@code bench/run} does exactly this after building the jar.
 */
public final class Bench {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long MB = 1024 * 1024;

    /** What one scenario runs; sizes shrink in smoke mode. */
    record Scenario(String name, String title, int items, Consumer<SimulatorSettings> simulator,
                    Map<String, String> pipeline, Kind kind, long timeoutSeconds) {
    }

    enum Kind {
        /** A batch of prompts, measured from the first create to the manifest. */
        BATCH,
        /** Rows committed to the store, measured from the drop to the file's move to done. */
        INGEST,
        /** One large video fetched and stored. */
        STREAM,
        /** A batch under provider faults, against the same batch without them ({@link FaultsBench}). */
        FAULTS,
        /** JVM start to the first create and to ready ({@link StartupBench}). */
        STARTUP,
        /** Cost of one claim with a million rows waiting, in this JVM ({@link ClaimCost}). */
        CLAIMS,
        /** One rate-bound batch on PostgreSQL, by one instance and by three ({@link ClusterBench}). */
        CLUSTER
    }

    /** Figures of one run; null where a figure does not apply. */
    record Figures(String scenario, int cores, int items, Double makespanSeconds, Double idealMakespanSeconds,
                   Double idealLowerBoundSeconds, Double efficiency, Double statusCallsPerJob, Integer rateLimited429,
                   Integer retries, Double jobsPerSecond, Double cpuSecondsPer1000Jobs, Double peakHeapMb,
                   Double liveHeapMb, Double heapGrowthMb, Double peakRssMb, Double megabytesPerSecond,
                   Map<String, Object> detail) {
    }

    /** The adapter, and the simulator face it talks to, of the batch scenarios. */
    private static ContractFace api = ContractFace.OPENAI;

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        Path out = Path.of("bench/results.json");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--api" -> api = ContractFace.valueOf(args[++i].toUpperCase(Locale.ROOT));
                default -> names.add(args[i]);
            }
        }
        Path jar = Path.of(System.getProperty("sora.jar", "target/sora-batch.jar")).toAbsolutePath();
        Path work = Path.of(System.getProperty("bench.work", "target/bench")).toAbsolutePath();
        List<Figures> results = run(jar, work, scenarios(smoke, names));
        System.out.println();
        System.out.println(table(results));
        write(out, results, smoke);
        System.out.println("Written: " + out.toAbsolutePath());
    }

    static List<Figures> run(Path jar, Path work, List<Scenario> scenarios) throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No " + jar + ": build it first (mvn -B -ntp package -DskipTests)");
        }
        List<Figures> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            System.out.printf("== %s: %s%n", s.name(), s.title());
            Path dir = work.resolve(s.name());
            List<Figures> figures = switch (s.kind()) {
                case FAULTS -> List.of(FaultsBench.run(jar, dir, s));
                case STARTUP -> List.of(StartupBench.run(jar, dir, s.items()));
                case CLAIMS -> List.of(ClaimCost.run(dir, s.items()));
                case CLUSTER -> ClusterBench.run(jar, dir, s);
                default -> List.of(runOne(jar, dir, s));
            };
            for (Figures f : figures) {
                System.out.println("   " + JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(f));
                results.add(f);
            }
        }
        return results;
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    static List<Scenario> scenarios(boolean smoke, List<String> only) {
        List<Scenario> all = new ArrayList<>();
        int n12 = smoke ? 20 : 300;
        all.add(new Scenario("rate", "rate-bound: " + n12 + " items, provider 300 creates/min, generation "
                + (smoke ? "1-2 s" : "10-30 s"), n12,
                sim -> sim.createsPerMinute(300).createsBurst(5)
                        .generationTime(Duration.ofSeconds(smoke ? 1 : 10), Duration.ofSeconds(smoke ? 2 : 30)),
                Map.of("sora.rate.requests-per-minute", "300",
                        "sora.rate.burst", "4",
                        "sora.max-in-flight", "1000",
                        "sora.poll.initial-interval", smoke ? "1s" : "10s"),
                Kind.BATCH, smoke ? 60 : 600));
        all.add(new Scenario("concurrency", "concurrency-bound: " + n12 + " items, provider in-flight limit "
                + (smoke ? 5 : 30) + ", generation " + (smoke ? "1-2 s" : "10-30 s"), n12,
                sim -> sim.maxInFlight(smoke ? 5 : 30)
                        .generationTime(Duration.ofSeconds(smoke ? 1 : 10), Duration.ofSeconds(smoke ? 2 : 30)),
                Map.of("sora.rate.requests-per-minute", "600",
                        "sora.rate.burst", smoke ? "5" : "30",
                        // above the provider's limit on purpose: the pipeline must find the provider's ceiling
                        "sora.max-in-flight", smoke ? "8" : "40",
                        "sora.poll.initial-interval", smoke ? "1s" : "10s"),
                Kind.BATCH, smoke ? 60 : 900));
        int n3 = smoke ? 300 : 5000;
        all.add(new Scenario("overhead", "overhead: " + n3 + " items, instant simulator, no limits, small MP4", n3,
                sim -> sim.generationTime(Duration.ZERO, Duration.ZERO),
                Map.of("sora.rate.requests-per-minute", "10000000",
                        "sora.rate.burst", "10000000",
                        "sora.max-in-flight", "10000",
                        "sora.poll.min-interval", "0",
                        "sora.poll.initial-interval", "0"),
                Kind.BATCH, smoke ? 60 : 300));
        int n4 = smoke ? 5000 : 1_000_000;
        all.add(new Scenario("ingest", "ingest memory: one CSV of " + n4 + " rows with 97-character ids", n4,
                sim -> { },
                Map.of("sora.rate.requests-per-minute", "1"),
                Kind.INGEST, smoke ? 60 : 900));
        long bytes = smoke ? 64 * MB : 2048 * MB;
        all.add(new Scenario("stream", "stream memory: one video of " + bytes / MB + " MB fetched and stored", 1,
                sim -> sim.largeVideoBytes(bytes).generationTime(Duration.ofSeconds(1), Duration.ofSeconds(1)),
                Map.of("sora.poll.initial-interval", "1s",
                        "camel.component.http.response-timeout", "600000"),
                Kind.STREAM, smoke ? 60 : 600));
        int n6 = smoke ? 10 : 40;
        all.add(new Scenario("faults", "faults: " + n6 + " items, generation 1-3 s, provider 20 % 5xx, 10 % dropped "
                + "connections, 5 % lost create answers; against the same batch without faults", n6,
                sim -> sim.generationTime(Duration.ofSeconds(1), Duration.ofSeconds(3)),
                Map.of("sora.rate.requests-per-minute", "120",
                        "sora.max-in-flight", "10",
                        "sora.poll.initial-interval", "1s"),
                Kind.FAULTS, smoke ? 120 : 600));
        all.add(new Scenario("startup", "start-up: java -jar to the first create of a one-row file, and to ready",
                smoke ? 1 : 5, sim -> { }, Map.of(), Kind.STARTUP, 0));
        all.add(new Scenario("claims", "claim cost: " + (smoke ? "20,000" : "1,000,000") + " pending rows in one "
                + "batch and a small batch dropped after it (job store in this JVM)", smoke ? 20_000 : 1_000_000,
                sim -> { }, Map.of(), Kind.CLAIMS, 0));
        all.add(new Scenario("cluster", "scale-out: the rate scenario's batch on PostgreSQL, by 1 instance and by 3 "
                + "sharing the store and the provider's 300 creates/min", n12,
                all.get(0).simulator(), all.get(0).pipeline(), Kind.CLUSTER, smoke ? 120 : 600));
        String suffix = api == ContractFace.OPENAI ? "" : "-" + api.provider();
        return (only.isEmpty() || only.contains("all") ? all.stream() : all.stream().filter(s -> only.contains(s.name())))
                .map(s -> new Scenario(s.name() + suffix, s.title() + (suffix.isEmpty() ? ""
                        : ", " + api.provider() + "'s adapter and wire format"), s.items(), s.simulator(), s.pipeline(),
                        s.kind(), s.timeoutSeconds())).toList();
    }

    // ------------------------------------------------------------------------------------------------ one run

    static Figures runOne(Path jar, Path dir, Scenario s) throws Exception {
        deleteTree(dir);
        Files.createDirectories(dir.resolve("data/inbox"));
        SimulatorSettings simSettings = new SimulatorSettings().blockedWord(null).seed(20261125);
        s.simulator().accept(simSettings);
        String batch = "bench-" + s.name();
        Path input = dir.resolve(batch + ".csv");
        writeCsv(input, s.items(), s.kind());

        try (SimulatorServer simulator = new SimulatorServer(0, simSettings).start();
             S3Server bucket = api == ContractFace.BEDROCK ? S3Server.inMemory().start() : null) {
            Map<String, String> settings = pipelineSettings(simulator, s);
            if (bucket != null) {
                settings.putAll(bedrockWritesInto(bucket, simSettings));
            }
            ChildJvm child = ChildJvm.start(jar, dir, "256m", settings);
            try (child) {
                child.awaitStarted(60_000);
                simulator.stats().reset(); // the start-up credentials check is not part of the run
                long baseLive = child.liveHeap();
                child.resetPeakHeap();
                long cpu0 = child.cpuMillis();
                long dropped = System.currentTimeMillis();
                Files.move(input, dir.resolve("data/inbox").resolve(input.getFileName()), StandardCopyOption.ATOMIC_MOVE);

                Path doneMarker = s.kind() == Kind.INGEST ? dir.resolve("data/done").resolve(input.getFileName())
                        : dir.resolve("data/outbox").resolve(batch).resolve("manifest.json");
                AtomicLong maxLive = new AtomicLong(baseLive);
                AtomicBoolean running = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    int tick = 0;
                    while (running.get()) {
                        try {
                            child.heapUsed();
                            // the stream and ingest scenarios ask for the live set: a full collection every second
                            if (s.kind() != Kind.BATCH && ++tick % 10 == 0) {
                                maxLive.accumulateAndGet(child.liveHeap(), Math::max);
                            }
                            Thread.sleep(100);
                        } catch (Exception e) {
                            return;
                        }
                    }
                }, "bench-sampler");
                sampler.setDaemon(true);
                sampler.start();
                long deadline = dropped + s.timeoutSeconds() * 1000;
                while (!Files.exists(doneMarker)) {
                    if (!child.process.isAlive() || System.currentTimeMillis() > deadline) {
                        running.set(false);
                        throw new IllegalStateException(s.name() + ": not finished in time; see " + child.log);
                    }
                    Thread.sleep(20);
                }
                long finished = System.currentTimeMillis();
                running.set(false);
                sampler.join();
                long cpu = child.cpuMillis() - cpu0;
                long rss = child.peakRss();
                long sampledPeak = child.heapUsed();
                sampledPeak = Math.max(sampledPeak, child.peakSampledHeap());
                if (s.kind() == Kind.STREAM) {
                    maxLive.accumulateAndGet(child.liveHeap(), Math::max);
                }
                child.close();
                long[] gc = child.gcLogPeaks();
                double peakHeap = Math.max(sampledPeak / (double) MB, gc[0]);
                // young and concurrent-cycle pauses leave garbage behind: for ingest the live set is the full-GC samples
                double live = s.kind() == Kind.INGEST ? maxLive.get() / (double) MB : gc[1];
                return figures(s, dir, simulator.stats(), simSettings, dropped, finished, cpu, rss, peakHeap, live,
                        (maxLive.get() - baseLive) / (double) MB);
            }
        }
    }

    /** What the pipeline of a batch scenario runs with: the simulator's face, the scenario's settings, -Dbench.set. */
    static Map<String, String> pipelineSettings(SimulatorServer simulator, Scenario s) {
        Map<String, String> settings = new LinkedHashMap<>(api == ContractFace.OPENAI
                ? TestSettings.simulatorAt(simulator.baseUrl(), "bench")
                : api.settings(simulator.baseUrl(api.api()), "bench"));
        settings.put("sora.provider", api.provider());
        settings.put("sora.input.poll-interval", "100");
        settings.put("sora.input.settle-time", "100");
        settings.put("sora.progress.interval", "10s");
        settings.putAll(s.pipeline());
        // extra pipeline settings for experiments: -Dbench.set=key=value,key=value
        for (String kv : System.getProperty("bench.set", "").split(",")) {
            if (kv.contains("=")) {
                settings.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return settings;
    }

    /**
     * Bedrock writes each video into the caller's bucket: one on an S3 server in this JVM, which the face writes to
     * and the pipeline reads from, with the AWS default chain's credentials as the child's system properties.
     */
    private static Map<String, String> bedrockWritesInto(S3Server bucket, SimulatorSettings sim) {
        try (S3Client client = TestAws.clients(bucket, null).s3()) {
            client.createBucket(b -> b.bucket(ContractFace.BEDROCK_BUCKET));
        }
        sim.s3Endpoint(bucket.endpoint());
        return Map.of("sora.aws.s3.endpoint", bucket.endpoint(), "sora.aws.s3.path-style", "true",
                "aws.accessKeyId", "bench", "aws.secretAccessKey", "bench-secret");
    }

    private static Figures figures(Scenario s, Path dir, SimulatorStats stats, SimulatorSettings sim, long dropped,
                                   long finished, long cpuMillis, long rss, double peakHeapMb, double liveHeapMb,
                                   double liveGrowthMb) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("wall_seconds_drop_to_done", round((finished - dropped) / 1000.0, 2));
        detail.put("cpu_seconds", round(cpuMillis / 1000.0, 2));
        double cpuPer1000 = cpuMillis / 1000.0 / s.items() * 1000;
        if (s.kind() == Kind.INGEST) {
            double seconds = (finished - dropped) / 1000.0;
            detail.put("rows_per_second", round(s.items() / seconds, 0));
            return new Figures(s.name(), cores, s.items(), round(seconds, 2), null, null, null, null, null, null,
                    round(s.items() / seconds, 1), round(cpuPer1000, 3), round(peakHeapMb, 1), round(liveHeapMb, 1), null,
                    round(rss / (double) MB, 1), null, detail);
        }
        StoreTimes t = StoreTimes.read(dir);
        int jobs = stats.jobsCreated();
        detail.put("stored", t.stored);
        detail.put("jobs_created", jobs);
        detail.put("create_requests", stats.createRequests());
        detail.put("max_in_flight_at_provider", stats.maxInFlight());
        detail.put("items_not_stored", s.items() - t.stored);
        detail.put("duplicated_creates", stats.jobsPerPrompt().values().stream().mapToInt(n -> n - 1).sum());
        int retries = stats.createRequests() - jobs + t.failures;
        double status = jobs == 0 ? 0 : stats.statusCalls() / (double) jobs;
        if (s.kind() == Kind.STREAM) {
            double seconds = (t.lastStored - t.firstCompleted) / 1000.0;
            long bytes = sim.largeVideoBytes();
            return new Figures(s.name(), cores, 1, round((t.lastStored - t.firstSubmitting) / 1000.0, 2), null, null,
                    null, round(status, 2), stats.rateLimited(), retries, null, null, round(peakHeapMb, 1),
                    liveHeapMb, round(liveGrowthMb, 1), round(rss / (double) MB, 1), round(bytes / (double) MB / seconds, 1),
                    detail);
        }
        List<Long> generation = stats.generationMillis();
        int perMinute = sim.createsPerMinute();
        long ideal = IdealSchedule.makespan(generation, perMinute, sim.createsBurst(), sim.maxInFlight());
        Double lowerBound = null;
        if (sim.maxInFlight() > 0) {
            lowerBound = generation.stream().mapToLong(Long::longValue).sum() / (double) sim.maxInFlight() / 1000.0;
        } else if (perMinute > 0) {
            lowerBound = ((generation.size() - 1) * 60_000.0 / perMinute + generation.get(generation.size() - 1)) / 1000.0;
        }
        double makespan;
        double jobsPerSecond;
        if (s.name().equals("overhead")) {
            // end to end: the file dropped to the manifest written
            makespan = (finished - dropped) / 1000.0;
            jobsPerSecond = s.items() / makespan;
            detail.put("first_create_to_last_stored_seconds", round((t.lastStored - t.firstSubmitting) / 1000.0, 2));
        } else {
            makespan = (t.lastStored - t.firstSubmitting) / 1000.0;
            jobsPerSecond = s.items() / makespan;
        }
        detail.put("mean_generation_seconds", round(generation.stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0, 2));
        detail.put("mean_detection_lag_seconds", round(t.meanLag(generation, stats), 3));
        return new Figures(s.name(), cores, s.items(), round(makespan, 2),
                s.name().equals("overhead") ? null : round(ideal / 1000.0, 2),
                lowerBound == null ? null : round(lowerBound, 2),
                s.name().equals("overhead") ? null : round(ideal / 1000.0 / makespan, 3),
                round(status, 2), stats.rateLimited(), retries, round(jobsPerSecond, 1), round(cpuPer1000, 3),
                round(peakHeapMb, 1), liveHeapMb, null, round(rss / (double) MB, 1), null, detail);
    }

    /** Timestamps of the pipeline's own job store, read after the child has closed it. */
    record StoreTimes(int stored, int failures, long firstSubmitting, long firstCompleted, long lastStored,
                      List<long[]> submittedCompleted) {

        static StoreTimes read(Path dir) throws Exception {
            String url = "jdbc:h2:file:" + dir.resolve("data/store/sora").toAbsolutePath() + ";ACCESS_MODE_DATA=r";
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                return read(c);
            }
        }

        static StoreTimes read(Connection c) throws Exception {
            try (Statement st = c.createStatement()) {
                List<long[]> pairs = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("select submitted_at, completed_at from item "
                        + "where completed_at is not null")) {
                    while (rs.next()) {
                        pairs.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
                try (ResultSet rs = st.executeQuery("select count(*), coalesce(sum(failures), 0), min(submitting_at), "
                        + "min(completed_at), max(stored_at) from item where state = 'STORED'")) {
                    rs.next();
                    return new StoreTimes(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), pairs);
                }
            }
        }

        /** Mean of (seen completed − submitted − generation time drawn), matched by submission order. */
        double meanLag(List<Long> generation, SimulatorStats stats) {
            List<Instant> created = stats.createTimes();
            if (created.size() != generation.size() || submittedCompleted.isEmpty()) {
                return Double.NaN;
            }
            List<Long> ends = new ArrayList<>();
            for (int i = 0; i < created.size(); i++) {
                ends.add(created.get(i).toEpochMilli() + generation.get(i));
            }
            List<Long> seen = submittedCompleted.stream().map(p -> p[1]).sorted().toList();
            List<Long> actual = ends.stream().sorted().toList();
            int n = Math.min(seen.size(), actual.size());
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += seen.get(i) - actual.get(i);
            }
            return sum / n / 1000.0;
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    static String table(List<Figures> results) {
        String[] head = {"scenario", "items", "makespan s", "ideal s", "efficiency", "status/job", "429s", "retries",
                "jobs/s", "CPU s/1k jobs", "peak heap MB", "live heap MB", "heap growth MB", "peak RSS MB", "MB/s"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Figures f : results) {
            rows.add(new String[] {f.scenario(), str(f.items()), str(f.makespanSeconds()), str(f.idealMakespanSeconds()),
                    str(f.efficiency()), str(f.statusCallsPerJob()), str(f.rateLimited429()), str(f.retries()),
                    str(f.jobsPerSecond()), str(f.cpuSecondsPer1000Jobs()), str(f.peakHeapMb()), str(f.liveHeapMb()),
                    str(f.heapGrowthMb()), str(f.peakRssMb()), str(f.megabytesPerSecond())});
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Cores: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        for (int r = 0; r < rows.size(); r++) {
            sb.append('|');
            for (String cell : rows.get(r)) {
                sb.append(' ').append(cell).append(" |");
            }
            sb.append('\n');
            if (r == 0) {
                sb.append('|').append("---|".repeat(head.length)).append('\n');
            }
        }
        return sb.toString();
    }

    private static void write(Path out, List<Figures> results, boolean smoke) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("smoke", smoke);
        root.put("java", System.getProperty("java.version"));
        root.put("finished_at", Instant.now().toString());
        ArrayNode list = root.putArray("scenarios");
        results.forEach(f -> list.add(JSON.valueToTree(f)));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            JSON.writeValue(w, root);
        }
    }

    static void writeCsv(Path file, int rows, Kind kind) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(kind == Kind.INGEST ? "id,prompt,style,camera,audio,seconds,size,scene_tag\n" : "id,prompt\n");
            for (int i = 1; i <= rows; i++) {
                if (kind == Kind.INGEST) {
                    // 97-character ids, as exported by asset systems: the duplicate check must not hold a million
                    w.write(INGEST_ID_PREFIX + String.format(Locale.ROOT, "%07d", i)
                            + ",\"A lighthouse keeper walks the stairs at dusk, scene " + i
                            + ", waves below, gulls circling\",cinematic,tracking shot,waves and wind,8,1280x720,coast-"
                            + (i % 17) + "\n");
                } else {
                    w.write("shot-" + i + ",A paper boat drifting down a rain gutter scene " + i + "\n");
                }
            }
        }
    }

    /** 90 characters: with a 7-digit row number, a 97-character id. */
    private static final String INGEST_ID_PREFIX = "coast-campaign-2026-lighthouse-keeper-stairs-at-dusk-waves-below"
            + "-gulls-circling-cut-master";

    private static String str(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double d) {
            return d.isNaN() ? "–" : String.format(Locale.ROOT, d >= 100 ? "%.0f" : d >= 10 ? "%.1f" : "%.2f", d);
        }
        return v.toString();
    }

    static Double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
