package dev.sorabatch;

import org.apache.camel.main.Main;

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

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.setDefaultPropertyPlaceholderLocation(SETTINGS);
        System.exit(main.run(args) == 0 ? RunControl.exitCode() : RunControl.EXIT_CANNOT_RUN);
    }
}
