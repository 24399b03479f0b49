package dev.sluice.local.standin;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sluice.definition.IntegrationDefinition;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * Stand-ins for the SaaS APIs an integration calls: WireMock serving the stubs kept in the
 * integration's {@code stand-in/} folder (the target API's documented shapes), and a real OAuth 2.0
 * authorization server for token endpoints. Both listen on loopback only.
 */
public final class StandIns implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";

  private final WireMockServer target;
  private final MockOAuth2Server oauth;

  private StandIns(WireMockServer target, MockOAuth2Server oauth) {
    this.target = target;
    this.oauth = oauth;
  }

  /** Starts the stand-ins with the stubs of {@code integration} from {@code integrationsFolder}. */
  public static StandIns start(Path integrationsFolder, String integration) {
    Path stubs = integrationsFolder.resolve(integration).resolve("stand-in");
    var config = options().bindAddress(LOOPBACK).dynamicPort();
    if (Files.isDirectory(stubs)) {
      config = config.usingFilesUnderDirectory(stubs.toString());
    }
    WireMockServer target = new WireMockServer(config);
    target.start();

    MockOAuth2Server oauth = new MockOAuth2Server();
    try {
      oauth.start(InetAddress.getByName(LOOPBACK), 0);
    } catch (UnknownHostException e) {
      target.stop();
      throw new IllegalStateException("loopback address not resolvable", e);
    }
    return new StandIns(target, oauth);
  }

  /**
   * Host redirects sending the definition's target host to WireMock and its token host to the OAuth
   * server, for {@code DefinitionCatalog.withHostRedirects}.
   */
  public Map<String, URI> redirectsFor(IntegrationDefinition definition) {
    Map<String, URI> redirects = new HashMap<>();
    if (definition.target() != null && definition.target().url() != null) {
      redirects.put(host(definition.target().url()), targetBase());
    }
    if (definition.source() != null && definition.source().url() != null) {
      redirects.put(host(definition.source().url()), targetBase());
    }
    // A token endpoint on the API's own host (HubSpot's /oauth/v1/token) stays with WireMock,
    // which then serves the token stub from the stand-in folder.
    URI oauthBase = URI.create(oauth.baseUrl().toString());
    for (IntegrationDefinition.TargetAuth auth : authBlocks(definition)) {
      if (auth.tokenUrl() != null) {
        redirects.putIfAbsent(host(auth.tokenUrl()), oauthBase);
      }
    }
    return redirects;
  }

  /** The host of a URL that may hold {placeholders}, which a URI cannot parse. */
  private static String host(String url) {
    return URI.create(url.replaceAll("\\{[^}]*}", "x")).getHost();
  }

  private static List<IntegrationDefinition.TargetAuth> authBlocks(
      IntegrationDefinition definition) {
    List<IntegrationDefinition.TargetAuth> blocks = new java.util.ArrayList<>();
    if (definition.target() != null && definition.target().auth() != null) {
      blocks.add(definition.target().auth());
    }
    if (definition.source() != null && definition.source().auth() != null) {
      blocks.add(definition.source().auth());
    }
    return blocks;
  }

  /** Base URL of the target stand-in. */
  public URI targetBase() {
    return URI.create("http://" + LOOPBACK + ":" + target.port());
  }

  /**
   * Every exchange the target stand-in had, oldest first.
   *
   * @param idempotencyHeader the header the integration sends its idempotency key in
   */
  public List<TargetExchange> targetExchanges(String idempotencyHeader) {
    return target.getAllServeEvents().stream()
        .map(
            event ->
                new TargetExchange(
                    event.getRequest().getLoggedDate().toInstant(),
                    event.getRequest().getHeader(idempotencyHeader),
                    event.getRequest().getBodyAsString(),
                    event.getResponse().getStatus(),
                    event.getRequest().getMethod().getName(),
                    event.getRequest().getUrl()))
        .sorted(java.util.Comparator.comparing(TargetExchange::at))
        .toList();
  }

  /**
   * One request to the target stand-in and the status it got.
   *
   * @param at when it arrived
   * @param idempotencyKey the key Sluice sent, or null
   * @param body the request body
   * @param status the status the stand-in answered
   * @param method the HTTP method
   * @param path the request path and query
   */
  public record TargetExchange(
      java.time.Instant at,
      String idempotencyKey,
      String body,
      int status,
      String method,
      String path) {}

  @Override
  public void close() {
    target.stop();
    oauth.shutdown();
  }
}
