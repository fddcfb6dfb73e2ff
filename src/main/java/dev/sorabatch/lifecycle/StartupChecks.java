package dev.sorabatch.lifecycle;

import java.io.IOException;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import dev.sorabatch.output.OutputStore;
import dev.sorabatch.output.WritableFolder;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.store.Database;
import dev.sorabatch.store.StoreSettings;

/**
 * Proves, before any work is taken in, that what the settings name can be used: the output, the working folder and
 * the store. A failure ends the start with one line naming the setting and the reason (exit code 1).
 */
public final class StartupChecks {

    private interface Check {
        void run() throws IOException;
    }

    private StartupChecks() {
    }

    /** The folder can be created and written (a small file written and deleted). */
    public static void writableFolder(String setting, Path folder) {
        checked(setting, () -> WritableFolder.check(folder));
    }

    /** The output takes a write ({@link OutputStore#check}). */
    public static void writableOutput(String setting, OutputStore output) {
        checked(setting, output::check);
    }

    /** The store's folder is writable (an H2 file) and the store opens durable ({@link Database#open}). */
    public static HikariDataSource openStore(StoreSettings settings) {
        Database.h2Folder(settings.url()).ifPresent(folder -> writableFolder("sora.store.url", folder));
        try {
            return Database.open(settings);
        } catch (Database.StoreException e) {
            throw new SettingException("sora.store.url", e.getMessage());
        }
    }

    private static void checked(String setting, Check check) {
        try {
            check.run();
        } catch (IOException e) {
            throw new SettingException(setting, "cannot be used: " + e.getMessage());
        }
    }
}
