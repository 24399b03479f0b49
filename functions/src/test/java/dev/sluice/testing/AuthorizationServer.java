package dev.sluice.testing;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Spring Authorization Server on 127.0.0.1, for tests that need a token endpoint which enforces
 * what providers enforce: a refresh token is single-use (rotation, {@code reuseRefreshTokens
 * false}), a revoked one is refused, client secrets are checked, and {@code private_key_jwt}
 * assertions are verified against the client's registered public key.
 *
 * <p>Clients: {@link #SECRET_CLIENT} (client secret, basic or post; authorization code and refresh
 * token grants, so refresh tokens are seeded with {@link #issueRefreshToken}) and {@link
 * #KEY_CLIENT} ({@code private_key_jwt}, client credentials), whose key is {@link #clientKeyPem}.
 */
public final class AuthorizationServer implements AutoCloseable {

  public static final String SECRET_CLIENT = "sluice-keeper";
  public static final String CLIENT_SECRET = "keeper-s3cret/+&";
  public static final String KEY_CLIENT = "sluice-signed";
  public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(30);

  private final int port;
  private final KeyPair clientKey;
  private final ConfigurableApplicationContext context;
  private final Map<String, AtomicInteger> grants = new ConcurrentHashMap<>();

  private AuthorizationServer() throws Exception {
    this.port = freePort();
    this.clientKey = rsaKeyPair();
    Fixture fixture = new Fixture(port, clientKey, grants);
    // Spring Boot would otherwise reconfigure logback for the whole test JVM (levels, appenders),
    // and the tests that capture log lines would see nothing.
    System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
    this.context =
        new SpringApplicationBuilder(Config.class)
            .properties(
                "server.address=127.0.0.1", "server.port=" + port, "spring.main.banner-mode=off")
            .initializers(ctx -> ctx.getBeanFactory().registerSingleton("fixture", fixture))
            .run();
  }

  /** Starts a server; close it when done. */
  public static AuthorizationServer start() throws Exception {
    return new AuthorizationServer();
  }

  public URI tokenUrl() {
    return URI.create(baseUrl() + "/oauth2/token");
  }

  public URI revocationUrl() {
    return URI.create(baseUrl() + "/oauth2/revoke");
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** How many token requests of this grant type reached the token endpoint. */
  public int tokenRequests(String grantType) {
    return grants.getOrDefault(grantType, new AtomicInteger()).get();
  }

  /** The PEM PKCS#8 private key of {@link #KEY_CLIENT}, as it would be kept in its secret. */
  public String clientKeyPem() {
    return pem(clientKey);
  }

  /** A second key, never registered: assertions it signs must be refused. */
  public static String unregisteredKeyPem() throws NoSuchAlgorithmException {
    return pem(rsaKeyPair());
  }

  /**
   * Stores an authorization for {@link #SECRET_CLIENT}, as if its owner had consented through the
   * authorization code flow, and returns its refresh token.
   */
  public String issueRefreshToken() {
    RegisteredClient client =
        context.getBean(RegisteredClientRepository.class).findByClientId(SECRET_CLIENT);
    String value = "rt-" + UUID.randomUUID();
    Instant now = Instant.now();
    OAuth2Authorization authorization =
        OAuth2Authorization.withRegisteredClient(client)
            .principalName("owner@example.com")
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizedScopes(Set.of("contacts.read"))
            .attribute(
                Principal.class.getName(),
                new UsernamePasswordAuthenticationToken("owner@example.com", null, List.of()))
            // Revoking a refresh token also invalidates the access token, which must exist.
            .accessToken(
                new OAuth2AccessToken(
                    OAuth2AccessToken.TokenType.BEARER,
                    "at-" + UUID.randomUUID(),
                    now,
                    now.plus(ACCESS_TOKEN_LIFETIME)))
            .refreshToken(new OAuth2RefreshToken(value, now, now.plus(Duration.ofDays(30))))
            .build();
    context.getBean(OAuth2AuthorizationService.class).save(authorization);
    return value;
  }

  @Override
  public void close() {
    context.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static KeyPair rsaKeyPair() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String pem(KeyPair keyPair) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes())
            .encodeToString(keyPair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** What the Spring context needs from the test. */
  record Fixture(int port, KeyPair clientKey, Map<String, AtomicInteger> grants) {}

  /** The server's beans. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Config {

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
      OAuth2AuthorizationServerConfigurer server =
          OAuth2AuthorizationServerConfigurer.authorizationServer();
      http.securityMatcher(server.getEndpointsMatcher())
          .with(server, Customizer.withDefaults())
          .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
          .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
      return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain openChain(HttpSecurity http) throws Exception {
      http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
          .csrf(csrf -> csrf.disable());
      return http.build();
    }

    @Bean
    RegisteredClientRepository clients(Fixture fixture) {
      RegisteredClient secretClient =
          RegisteredClient.withId(UUID.randomUUID().toString())
              .clientId(SECRET_CLIENT)
              .clientSecret("{noop}" + CLIENT_SECRET)
              .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
              .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
              .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
              .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
              .redirectUri("http://127.0.0.1/callback")
              .scope("contacts.read")
              .tokenSettings(
                  TokenSettings.builder()
                      .reuseRefreshTokens(false)
                      .accessTokenTimeToLive(ACCESS_TOKEN_LIFETIME)
                      .refreshTokenTimeToLive(Duration.ofDays(30))
                      .build())
              .build();
      RegisteredClient keyClient =
          RegisteredClient.withId(UUID.randomUUID().toString())
              .clientId(KEY_CLIENT)
              .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
              .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
              .scope("audience.write")
              .clientSettings(
                  ClientSettings.builder()
                      .jwkSetUrl("http://127.0.0.1:" + fixture.port() + "/client-jwks")
                      .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256)
                      .build())
              .build();
      return new InMemoryRegisteredClientRepository(secretClient, keyClient);
    }

    @Bean
    OAuth2AuthorizationService authorizations(RegisteredClientRepository clients) {
      return new InMemoryOAuth2AuthorizationService();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
      return AuthorizationServerSettings.builder().build();
    }

    @Bean
    JWKSource<SecurityContext> signingKeys() throws NoSuchAlgorithmException {
      KeyPair pair = rsaKeyPair();
      RSAKey key =
          new RSAKey.Builder((RSAPublicKey) pair.getPublic())
              .privateKey((RSAPrivateKey) pair.getPrivate())
              .keyID("server")
              .build();
      return new ImmutableJWKSet<>(new JWKSet(key));
    }

    /** The public key of {@link #KEY_CLIENT}, where the server fetches it to check assertions. */
    @Bean
    RouterFunction<ServerResponse> clientKeys(Fixture fixture) {
      RSAKey publicKey = new RSAKey.Builder((RSAPublicKey) fixture.clientKey().getPublic()).build();
      String jwks = new JWKSet(publicKey).toString();
      return RouterFunctions.route()
          .GET(
              "/client-jwks",
              request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(jwks))
          .build();
    }

    /** Counts token requests per grant type, before security sees them. */
    @Bean
    FilterRegistrationBean<Filter> grantCounter(Fixture fixture) {
      Filter counter =
          (request, response, chain) -> {
            String grant = request.getParameter("grant_type");
            if (grant != null) {
              fixture.grants().computeIfAbsent(grant, g -> new AtomicInteger()).incrementAndGet();
            }
            chain.doFilter(request, response);
          };
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(counter);
      registration.addUrlPatterns("/oauth2/token");
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return registration;
    }
  }
}
