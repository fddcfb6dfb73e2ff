package dev.sorabatch;

import java.util.Map;

import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

import dev.sorabatch.cli.Cli;
import dev.sorabatch.lifecycle.RunControl;
import dev.sorabatch.settings.SettingException;

/**
 * Starts the pipeline, or runs one of the command-line actions ({@link Cli}). Settings come from the packaged
 * application.properties, then config/application.properties in the working directory.
 */
public final class Application {

    public static final String SETTINGS = "classpath:application.properties;optional=true,"
            + "file:config/application.properties;optional=true";

    private Application() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(args, SETTINGS, Map.of(), () -> run(newMain(), new String[0])));
    }

    /**
     * Camel Main with the pipeline's one configuration class bound explicitly: no classpath scanning, which in a jar
     * of this size costs seconds of every start.
     */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(PipelineConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation(SETTINGS);
        return main;
    }

    /** A start that fails (a bad setting, say) must still end the process, whatever threads it had started. */
    private static int run(Main main, String[] args) {
        try {
            return main.run(args) == 0 ? RunControl.exitCode() : RunControl.EXIT_CANNOT_RUN;
        } catch (Exception e) {
            LoggerFactory.getLogger(Application.class).error("Cannot run: {}", reason(e));
            return RunControl.EXIT_CANNOT_RUN;
        }
    }

    /** One line: the setting that is wrong if one is, else the innermost message. */
    static String reason(Throwable e) {
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SettingException) {
                return t.getMessage();
            }
            if (t.getMessage() != null) {
                innermost = t;
            }
        }
        String message = innermost.getMessage() == null ? innermost.getClass().getSimpleName() : innermost.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline).trim();
    }
}
