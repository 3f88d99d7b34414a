package dev.gevent.tck.ssl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, made once per
 * JVM at first use, for tests that need a TLS server: {@link #serverContext()} serves it and
 * {@link #clientContext()} trusts it (and nothing else). The JDK has no public API to make a
 * certificate, so its own {@code keytool} makes one (EC P-256, valid for 30 days) into a PKCS12 key
 * store in a temporary directory, deleted when the JVM exits.
 *
 * <p>Making it blocks the calling thread for a moment (a {@code keytool} process); later calls
 * return the same object at once. Safe from any thread.
 */
public final class SelfSignedCertificate {
    /** The alias of the key entry in {@link #keyStore()}. */
    public static final String ALIAS = "localhost";
    private static final String PASSWORD = "gevent-tck";

    private final Path keyStorePath;
    private final Path certificatePem;
    private final X509Certificate certificate;
    private final SSLContext serverContext;
    private final SSLContext clientContext;

    private SelfSignedCertificate(Path keyStorePath, Path certificatePem, X509Certificate certificate,
            SSLContext serverContext, SSLContext clientContext) {
        this.keyStorePath = keyStorePath;
        this.certificatePem = certificatePem;
        this.certificate = certificate;
        this.serverContext = serverContext;
        this.clientContext = clientContext;
    }

    /**
     * @return this JVM's certificate, made on first use
     * @throws IllegalStateException if {@code keytool} failed (its output is in the message)
     */
    public static SelfSignedCertificate get() {
        return Holder.INSTANCE;
    }

    /** @return a context whose key manager presents this certificate: for servers */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** @return a context that trusts this certificate and no other: for clients */
    public SSLContext clientContext() {
        return clientContext;
    }

    /** @return the certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the PKCS12 key store holding the key and the certificate under {@link #ALIAS} */
    public Path keyStore() {
        return keyStorePath;
    }

    /** @return the password of {@link #keyStore()} and of its key (a new array each call) */
    public char[] password() {
        return PASSWORD.toCharArray();
    }

    /** @return the certificate as a PEM file, for tools such as {@code openssl -CAfile} */
    public Path certificatePem() {
        return certificatePem;
    }

    /** Lazy, thread-safe creation by class initialisation. */
    private static final class Holder {
        static final SelfSignedCertificate INSTANCE = create();
    }

    private static SelfSignedCertificate create() {
        try {
            Path dir = Files.createTempDirectory("gevent-tck-tls-");
            dir.toFile().deleteOnExit();
            Path keyStorePath = dir.resolve("localhost.p12");
            runKeytool(keyStorePath);
            keyStorePath.toFile().deleteOnExit();

            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStorePath)) {
                keys.load(in, PASSWORD.toCharArray());
            }
            X509Certificate certificate = (X509Certificate) keys.getCertificate(ALIAS);

            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD.toCharArray());
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);

            Path pem = dir.resolve("localhost.pem");
            String encoded = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + encoded + "\n-----END CERTIFICATE-----\n",
                    StandardCharsets.US_ASCII);
            pem.toFile().deleteOnExit();
            return new SelfSignedCertificate(keyStorePath, pem, certificate, server, client);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the test certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the test certificate", e);
        }
    }

    private static void runKeytool(Path keyStorePath) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-validity", "30", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
                "-keystore", keyStorePath.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool made the test certificate", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed (exit " + process.exitValue() + "): " + command + "\n" + output);
        }
    }
}
