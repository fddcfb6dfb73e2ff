package dev.sorabatch.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;

import dev.sorabatch.settings.Settings;

/**
 * {@code sora.workers.*} and {@code sora.instance-id}: how many rows a worker claims at once, how long a claim
 * holds, and whose it is. The timer routes read the periods themselves; they are checked here (a period of 0 would
 * never fire).
 *
 * @param owner name of this instance in leases
 */
public record WorkerSettings(int claimSize, long leaseMillis, String owner) {

    public static WorkerSettings from(Settings s) {
        for (String period : new String[] {"sora.workers.period", "sora.workers.reconcile-period",
                "sora.workers.finalize-period"}) {
            s.millis(period, 1);
        }
        String owner = s.text("sora.instance-id", "");
        return new WorkerSettings(s.integer("sora.workers.claim-size", 1, 10_000), s.millis("sora.workers.lease", 1000),
                owner.isEmpty() ? defaultInstanceId() : owner);
    }

    /** {@code <pid>@<host>}, without loading the JVM's management beans for it. */
    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }
}
