package xmrun.ui

import groovy.json.JsonSlurper
import org.openqa.selenium.By
import org.openqa.selenium.OutputType
import org.openqa.selenium.WebDriver
import org.openqa.selenium.WebElement
import org.openqa.selenium.chrome.ChromeDriver
import org.openqa.selenium.chrome.ChromeDriverService
import org.openqa.selenium.chrome.ChromeOptions
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.TempDir
import spock.util.concurrent.PollingConditions
import xmrun.XmrunProcess

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code xmrun ui} as a person uses it: a real xmrun process serving a real store, read in headless Chromium
 * (Debian's chromium and chromium-driver, which src/test/cluster/up.sh installs). The store holds a finished
 * sweep that reported results and a running experiment: one unit that waits for a file this spec writes, one
 * that sleeps until it is cancelled from the page.
 *
 * <p>Screenshots of the three views go to target/ui-screenshots, and into docs/ (the README shows them) when
 * XMRUN_UPDATE_SCREENSHOTS=1.
 */
@Stepwise
class DashboardSpec extends Specification {
    static final String CHROMIUM = '/usr/bin/chromium'
    static final String CHROMEDRIVER = '/usr/bin/chromedriver'

    @Shared @TempDir Path dir
    @Shared XmrunProcess xmrun
    @Shared Process ui
    @Shared String url
    @Shared String base
    @Shared WebDriver browser
    @Shared Path release

    def setupSpec() {
        // a missing browser is a failure, not a skip: install it with src/test/cluster/up.sh
        assert Files.isExecutable(Path.of(CHROMIUM)): "no $CHROMIUM: run src/test/cluster/up.sh (installs chromium and chromium-driver)"
        assert Files.isExecutable(Path.of(CHROMEDRIVER)): "no $CHROMEDRIVER: run src/test/cluster/up.sh (installs chromium and chromium-driver)"

        xmrun = new XmrunProcess(dir.resolve('home'))
        dir.resolve('train.sh').toFile().text = '''\
            lr=${1#--lr=}; seed=${2#--seed=}
            echo "training with lr=$lr seed=$seed"
            echo "XM_RESULT {\\"val_loss\\": $(awk -v l="$lr" -v s="$seed" 'BEGIN { print l * 10 + s / 10 }'), \\"acc\\": 0.$seed}"
            '''.stripIndent()
        dir.resolve('sweep.xm.groovy').toFile().text = """
            experiment('sweep') {
                job('train') {
                    command 'bash', '${dir.resolve('train.sh')}'
                    sweep { lr 0.1, 0.2, 0.5; seed 1..3 }
                }
            }""".stripIndent()
        release = dir.resolve('release')
        // unit 1 ends when this spec writes the release file; unit 2 ticks twice a second until it is cancelled
        dir.resolve('nap.sh').toFile().text = """\
            echo "napping: \$1"
            if [ "\$1" = --until=release ]; then
              while [ ! -e '$release' ]; do sleep 0.2; done
              echo released
            else
              i=0
              while [ \$i -lt 1200 ]; do i=\$((i + 1)); echo "tick \$i"; sleep 0.5; done
            fi
            """.stripIndent()
        dir.resolve('nap.xm.groovy').toFile().text = """
            experiment('nap') {
                job('nap') {
                    command 'bash', '${dir.resolve('nap.sh')}'
                    sweep { until 'release', 'cancel' }
                }
            }""".stripIndent()
        def sweep = xmrun.run(['sweep.xm.groovy', '--wait'], dir)
        assert sweep.exitCode == 0: sweep
        def nap = xmrun.run(['nap.xm.groovy'], dir)
        assert nap.exitCode == 0: nap

        Path uiDir = Files.createDirectories(dir.resolve('ui'))
        ui = xmrun.start(['ui', '--interval', '1'], uiDir)
        def printed = new PollingConditions(timeout: 30)
        printed.eventually {
            assert ui.alive: uiDir.resolve('stderr').toFile().text
            url = (uiDir.resolve('stdout').toFile().text =~ /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/).with { it.find() ? it.group() : null }
            assert url
        }
        base = url.replaceFirst(/\/\?token=.*/, '')

        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build()
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1280,900')
        browser = new ChromeDriver(service, options)
    }

    def cleanupSpec() {
        browser?.quit()
        ui?.destroy()
        ui?.waitFor()
        if (xmrun != null) {
            xmrun.run('cancel', '2') // nothing of this spec outlives it
        }
    }

    def 'a request without the token, or with a wrong one, gets 403, whatever it asks for'() {
        given:
        def http = HttpClient.newHttpClient()
        def status = { String path, Map<String, String> headers ->
            def req = HttpRequest.newBuilder(URI.create(base + path))
            headers.each { k, v -> req.header(k, v) }
            http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode()
        }
        def token = url.replaceFirst(/.*token=/, '')
        def cookie = 'xmrun-ui-' + URI.create(base).port

        expect:
        ['/', '/api/experiments', '/api/experiments/1/results', '/static/app.js', '/static/uPlot.js', '/no/such/page'].every {
            status(it, [:]) == 403 && status(it + '?token=wrong', [:]) == 403 && status(it, [Cookie: "$cookie=${token.reverse()}"]) == 403
        }
        status('/api/experiments', ['X-Xmrun-Token': token]) == 200
        status('/api/experiments', [Cookie: "$cookie=$token"]) == 200
        status('/static/uPlot.js', ['X-Xmrun-Token': token]) == 200
        !url.contains('localhost') && base.startsWith('http://127.0.0.1:')
    }

    def 'the experiments page lists every experiment, newest first, with its states'() {
        when: 'the printed address is opened: the token goes into a cookie and out of the address bar'
        browser.get(url)

        then:
        wait {
            assert rows('#experiments tr').collect { it.getAttribute('data-experiment') } == ['2', '1']
            assert rows('#experiments tr')[0].text.endsWith('2 running') // refreshed, not the store's 'submitted'
        }
        browser.currentUrl == base + '/'
        !browser.pageSource.contains(url.replaceFirst(/.*token=/, ''))
        rows('#experiments tr')[1].text.contains('9 succeeded')
        screenshot('ui-experiments.png')
    }

    def 'an experiment page shows every unit, and a unit that ends changes state on screen without a reload'() {
        when:
        browser.findElement(By.linkText('nap')).click()

        then: 'both units, the first running until it is released'
        wait {
            assert rows('#units tbody tr').size() == 2
            assert state(1) == 'RUNNING'
            assert state(2) == 'RUNNING'
        }
        screenshot('ui-experiment.png')

        when: 'the first unit ends'
        browser.executeScript('window.xmMarker = 1') // gone if the page were loaded again
        Files.writeString(release, '')

        then:
        wait {
            assert state(1) == 'SUCCEEDED'
        }
        state(2) == 'RUNNING'
        browser.executeScript('return window.xmMarker') == 1
    }

    def "a unit's page shows its output"() {
        when:
        browser.findElement(By.cssSelector('#units tr[data-unit="1"] a')).click()

        then:
        wait {
            assert browser.findElement(By.id('stdout')).text == 'napping: --until=release\nreleased'
            assert browser.findElement(By.cssSelector('#unit-info [data-state]')).text == 'SUCCEEDED'
        }
    }

    def "a running unit's page follows its output as it is written"() {
        when:
        browser.get(base + '/#/exp/2/unit/2')
        wait {
            assert browser.findElement(By.id('stdout')).text.contains('tick 2')
        }
        browser.executeScript('window.xmMarker = 2')
        int seen = ticks()

        then: 'more lines, appended without a reload, each once'
        wait {
            assert ticks() >= seen + 3
        }
        def lines = browser.findElement(By.id('stdout')).text.readLines()
        lines == ['napping: --until=cancel'] + (1..<lines.size()).collect { "tick $it".toString() }
        browser.executeScript('return window.xmMarker') == 2
        browser.findElement(By.cssSelector('#unit-info [data-state]')).text == 'RUNNING'
    }

    def 'the results view has the rows of xmrun results, sorts by a clicked header, and plots one point per unit'() {
        given:
        def cli = new JsonSlurper().parseText(xmrun.run('results', '1', '--json').out)

        when:
        browser.get(base + '/#/exp/1/results')

        then: 'the same rows as xmrun results'
        wait {
            assert rows('#results tbody tr').size() == 9
        }
        tableRows() == cli.collect { ["$it.workUnit", it.job, it.state, "$it.values.lr", "$it.values.seed", "$it.results.val_loss", "$it.results.acc"] }

        when: 'val_loss is clicked twice: descending'
        2.times { browser.findElement(By.cssSelector('#results th[data-column="val_loss"]')).click() }

        then:
        tableRows().collect { new BigDecimal(it[5]) } == cli.collect { it.results.val_loss as BigDecimal }.sort().reverse()

        and: 'val_loss against lr, coloured by seed: nine points in three series, as drawn by the chart'
        browser.findElement(By.id('plot-metric')).getAttribute('value') == 'val_loss'
        browser.findElement(By.id('plot-axis')).getAttribute('value') == 'lr'
        browser.findElement(By.id('plot-color')).getAttribute('value') == 'seed'
        List<List> data = browser.executeScript('return window.xmPlot.chart.data') as List<List>
        data.size() == 4
        data.tail().sum { series -> series.count { it != null } } == 9
        (0..<9).collect { i -> "${data[0][i]} ${data.tail().find { it[i] != null }[i]}" }.sort() ==
                cli.collect { "${it.values.lr} ${it.results.val_loss}" }.sort()
        browser.executeScript('const u = window.xmPlot.chart; return [u.series[0].idxs[0], u.series[0].idxs[1]]') == [0, 8] // all drawn
        browser.findElements(By.cssSelector('#plot canvas')).size() == 1
        screenshot('ui-results.png')
    }

    def 'Cancel on a running unit stops it, and the store says so'() {
        when:
        browser.get(base + '/#/exp/2')
        wait {
            assert state(2) == 'RUNNING'
        }
        2.times { // the button asks once more before it acts
            browser.findElement(By.cssSelector('#units tr[data-unit="2"] button')).click()
        }

        then:
        wait {
            assert state(2) == 'CANCELLED'
        }

        and: 'xmrun status reads the same from the store and the scheduler'
        def units = new JsonSlurper().parseText(xmrun.run('status', '2', '--json').out).workUnits
        units*.state == ['SUCCEEDED', 'CANCELLED']
    }

    // ---- helpers

    private static void wait(Closure<?> check) {
        new PollingConditions(timeout: 15, delay: 0.2).eventually(check)
    }

    /** The last tick the unit page shows. */
    private int ticks() {
        def lines = browser.findElement(By.id('stdout')).text.readLines().findAll { it.startsWith('tick ') }
        lines ? lines.last().substring(5) as int : 0
    }

    private List<WebElement> rows(String css) {
        browser.findElements(By.cssSelector(css))
    }

    private String state(int unit) {
        def cells = browser.findElements(By.cssSelector("#units tr[data-unit=\"$unit\"] td[data-state]"))
        cells ? cells[0].text : null
    }

    private List<List<String>> tableRows() {
        rows('#results tbody tr').collect { tr -> tr.findElements(By.tagName('td'))*.text }
    }

    private void screenshot(String name) {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES)
        Path target = Files.createDirectories(Path.of('target', 'ui-screenshots'))
        Files.write(target.resolve(name), png)
        if (System.getenv('XMRUN_UPDATE_SCREENSHOTS') == '1') {
            Files.write(Files.createDirectories(Path.of('docs')).resolve(name), png)
        }
    }
}
