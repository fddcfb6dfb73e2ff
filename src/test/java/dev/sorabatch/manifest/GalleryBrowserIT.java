package dev.sorabatch.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import dev.sorabatch.output.FolderOutputStore;

/**
 * The gallery in a real browser: Debian's headless Chromium driven through its own chromedriver (both named by path,
 * so nothing is downloaded), the page opened from disk and served over HTTP on loopback, as a person opens a folder
 * output and a bucket output. Skipped where chromium or chromium-driver is not installed ({@code .ci/run} installs
 * them).
 */
@EnabledIf(value = "browserInstalled", disabledReason = "needs Debian's chromium and chromium-driver")
class GalleryBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/gallery");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "json",
            "application/json", "mp4", "video/mp4", "jpg", "image/jpeg");

    @TempDir
    static Path temp;

    private static Path batch;
    private static HttpServer server;
    private static ChromeDriver browser;

    static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void start() throws IOException {
        batch = temp.resolve("out/prompts");
        new GalleryWriter().publish(GalleryFixture.batch(batch), GalleryLinks.relative(),
                new FolderOutputStore(temp.resolve("out")), "prompts", temp.resolve("tmp"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", GalleryBrowserIT::serve);
        server.start();

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + Files.createDirectories(temp.resolve("profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "file"})
    void loadsWithoutConsoleErrorsAndShowsOneCardPerItemWithItsStatus(String how) throws IOException {
        List<LogEntry> console = open(how);

        assertThat(console).filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).isEmpty();
        List<WebElement> cards = browser.findElements(By.cssSelector("main .card"));
        assertThat(cards).hasSize(GalleryFixture.ROWS.size());
        for (int i = 0; i < cards.size(); i++) {
            assertThat(cards.get(i).findElement(By.cssSelector(".badge")).getText())
                    .isEqualTo(GalleryFixture.ROWS.get(i).status());
        }
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("gallery-" + how + ".png"), settledScreenshot());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "file"})
    void hostilePromptsShowAsTextAndRunNothing(String how) {
        open(how);

        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.findElements(By.cssSelector("main script, main [onerror], main [onload], main img[src=x]")))
                .isEmpty();
        for (String id : List.of("desert-wind", "harbour-dawn", "long-take")) {
            WebElement card = card(id);
            assertThat(card.findElement(By.cssSelector(".prompt")).getText()).isEqualTo(row(id).prompt());
        }
        assertThat(card("harbour-dawn").findElement(By.cssSelector(".error")).getText())
                .isEqualTo("moderation_blocked " + GalleryFixture.SVG_ONLOAD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "file"})
    void theStatusFilterShowsOnlyThatStatusAndAllShowsEveryCardAgain(String how) {
        open(how);

        browser.findElement(By.cssSelector("label[for=f-failed]")).click();
        assertThat(shownStatuses()).containsExactly("failed");
        browser.findElement(By.cssSelector("label[for=f-stored]")).click();
        assertThat(shownStatuses()).containsExactly("stored", "stored", "stored", "stored");
        browser.findElement(By.cssSelector("label[for=f-all]")).click();
        assertThat(shownStatuses()).hasSize(GalleryFixture.ROWS.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "file"})
    void theTimelineHasABarPerJobAndTheVideosPlayFromTheirRelativeLinks(String how) {
        open(how);

        List<WebElement> bars = browser.findElements(By.cssSelector("section.timeline svg rect.bar"));
        assertThat(bars).hasSize((int) GalleryFixture.sent());
        assertThat(bars).allSatisfy(bar -> assertThat(bar.getSize().getWidth()).isPositive());

        WebElement video = card("city-rain").findElement(By.tagName("video"));
        JavascriptExecutor js = browser;
        js.executeScript("arguments[0].preload = 'metadata'; arguments[0].load();", video);
        await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) js.executeScript(
                "return arguments[0].readyState;", video)).intValue() >= 1);
        assertThat(((Number) js.executeScript("return arguments[0].duration;", video)).doubleValue())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.2));
        assertThat(((Number) js.executeScript("return arguments[0].videoWidth;", video)).intValue()).isEqualTo(160);
    }

    /** Opens the page and returns what the console said while it loaded. */
    private static List<LogEntry> open(String how) {
        browser.manage().logs().get(LogType.BROWSER); // drops what earlier pages said
        browser.get(how.equals("http")
                ? "http://127.0.0.1:" + server.getAddress().getPort() + "/" + GalleryWriter.FILE_NAME
                : batch.resolve(GalleryWriter.FILE_NAME).toUri().toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> "complete".equals(
                browser.executeScript("return document.readyState;")));
        return browser.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** The video controls fade their loading spinner out after the page is complete: the view once it is still. */
    private static byte[] settledScreenshot() {
        byte[][] last = {browser.getScreenshotAs(OutputType.BYTES)};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
            byte[] now = browser.getScreenshotAs(OutputType.BYTES);
            boolean still = Arrays.equals(now, last[0]);
            last[0] = now;
            return still;
        });
        return last[0];
    }

    private static List<String> shownStatuses() {
        return browser.findElements(By.cssSelector("main .card")).stream().filter(WebElement::isDisplayed)
                .map(c -> c.findElement(By.cssSelector(".badge")).getText()).toList();
    }

    private static WebElement card(String id) {
        return browser.findElement(By.id("i" + GalleryFixture.ROWS.indexOf(row(id))));
    }

    private static GalleryFixture.Row row(String id) {
        return GalleryFixture.ROWS.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** Files of the batch folder, as a bucket's website endpoint would serve them. */
    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Path file = batch.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(batch) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            exchange.getResponseHeaders().set("Content-Type",
                    TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream"));
            exchange.sendResponseHeaders(200, Files.size(file));
            Files.copy(file, exchange.getResponseBody());
        }
    }
}
