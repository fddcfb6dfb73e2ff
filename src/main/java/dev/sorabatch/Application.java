package dev.sorabatch;

import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

import dev.sorabatch.run.RunControl;

/**
 * Starts the pipeline. Camel Main finds {@link PipelineConfiguration} in this package; settings come from the
 * packaged application.properties, then config/application.properties in the working directory.
 */
public final class Application {

    public static final String SETTINGS = "classpath:application.properties;optional=true,"
            + "file:config/application.properties;optional=true";

    private Application() {
    }

    public static void main(String[] args) {
        Main main = new Main(Application.class);
        main.setDefaultPropertyPlaceholderLocation(SETTINGS);
        System.exit(run(main, args));
    }

    /** A start that fails (a bad setting, say) must still end the process, whatever threads it had started. */
    private static int run(Main main, String[] args) {
        try {
            return main.run(args) == 0 ? RunControl.exitCode() : RunControl.EXIT_CANNOT_RUN;
        } catch (Exception e) {
            LoggerFactory.getLogger(Application.class).error("Cannot run: {}", e.getMessage());
            return RunControl.EXIT_CANNOT_RUN;
        }
    }
}
