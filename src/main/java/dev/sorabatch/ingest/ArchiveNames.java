package dev.sorabatch.ingest;

import java.util.function.Predicate;

import org.apache.commons.io.FilenameUtils;

/** Names in a done or error area: a second input of the same name never replaces the first one kept there. */
final class ArchiveNames {

    private ArchiveNames() {
    }

    /**
     * {@code name} (a file name, or a key with folders) if neither it nor its companion ({@code name + companion}, e.g. {@code .error.json}) is taken, else
     * the first free {@code base-2.ext}, {@code base-3.ext}…
     */
    static String free(String name, String companion, Predicate<String> taken) {
        String folder = FilenameUtils.getFullPath(name);
        String base = FilenameUtils.getBaseName(name);
        String extension = FilenameUtils.getExtension(name);
        String candidate = name;
        for (int n = 2; taken.test(candidate) || !companion.isEmpty() && taken.test(candidate + companion); n++) {
            candidate = folder + base + "-" + n + (extension.isEmpty() ? "" : "." + extension);
        }
        return candidate;
    }
}
