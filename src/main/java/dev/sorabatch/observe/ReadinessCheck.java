package dev.sorabatch.observe;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One readiness check of the pipeline, through Camel's health-check API: up when {@link Probe#probe} returns within
 * the time allowed, down with the reason otherwise. A probe that hangs (a store whose server is gone, say) counts as
 * down after the wait; the health endpoint never hangs with it.
 */
public final class ReadinessCheck extends AbstractHealthCheck {

    /** The thing checked; throws with the reason when it is not usable. */
    @FunctionalInterface
    public interface Probe {
        void probe() throws Exception;
    }

    private final Probe probe;
    private final long waitMillis;
    private final ExecutorService runner;

    public ReadinessCheck(String id, Probe probe, long waitMillis) {
        super("sora", id);
        this.probe = probe;
        this.waitMillis = waitMillis;
        this.runner = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "health-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Future<?> answer = runner.submit(() -> {
            probe.probe();
            return null;
        });
        try {
            answer.get(waitMillis, TimeUnit.MILLISECONDS);
            builder.up();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            builder.down().message(cause.getMessage() == null ? cause.getClass().getSimpleName() : firstLine(cause));
        } catch (TimeoutException e) {
            answer.cancel(true);
            builder.down().message("no answer within " + waitMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.down().message("interrupted");
        }
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline).trim();
    }
}
