using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Embeddings.TestModels;

namespace Embeddings.Remote.Tests.Support;

/// <summary>
/// Debian's nginx as a load balancer on loopback: installed by the repository's eng/install-nginx.sh when absent,
/// started in the foreground with its own configuration in a temporary folder, stopped (killed) on dispose.
/// </summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private Nginx(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    /// <summary>http://127.0.0.1:port/ of the balancer.</summary>
    public Uri Address { get; }

    /// <summary>The nginx binary, or null when it is not installed.</summary>
    public static string? Binary =>
        new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);

    /// <summary>Why the fleet tests cannot run here (nginx absent and not installable), or null when they can.</summary>
    public static string? SkipReason
    {
        get
        {
            if (Fixtures.SkipReason is { } fixtures) return fixtures;
            if (Binary is not null || Fixtures.InContinuousIntegration) return null; // in CI a missing nginx fails the test
            bool root = Environment.UserName == "root";
            bool apt = File.Exists("/usr/bin/apt-get");
            return root && apt ? null : "nginx is not installed and cannot be installed here (eng/install-nginx.sh needs root and apt-get); the fleet test is skipped.";
        }
    }

    /// <summary>Runs eng/install-nginx.sh when nginx is absent (bounded to 10 minutes) and returns the binary.</summary>
    public static async Task<string> EnsureInstalledAsync()
    {
        if (Binary is { } present) return present;
        string script = Path.Combine(Fixtures.RepositoryRoot(), "eng", "install-nginx.sh");
        var (code, output) = await RunAsync("bash", [script], TimeSpan.FromMinutes(10));
        return code == 0 && Binary is { } installed
            ? installed
            : throw new Xunit.Sdk.XunitException($"eng/install-nginx.sh could not install nginx (exit {code}):\n{output}");
    }

    /// <summary>Starts nginx balancing round-robin over <paramref name="replicas"/>, and waits until /health answers through it.</summary>
    public static async Task<Nginx> StartAsync(string binary, IReadOnlyList<Uri> replicas)
    {
        string folder = Path.Combine(Path.GetTempPath(), "embeddings-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        foreach (string temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" }) Directory.CreateDirectory(Path.Combine(folder, temp));
        int port = FreePort();
        string upstreams = string.Concat(replicas.Select(r => $"    server 127.0.0.1:{r.Port} max_fails=0;\n"));
        string configuration = string.Create(CultureInfo.InvariantCulture, $$"""
            worker_processes 1;
            daemon off;
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{folder}}/body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              client_max_body_size 16m;
              upstream replicas {
            {{upstreams}}    keepalive 8;
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://replicas;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }
            """);
        string path = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(path, configuration);

        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-p", folder, "-c", path }) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var nginx = new Nginx(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await nginx.WaitUntilServingAsync();
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
    }

    // Bounded in time (30 s) and tries (150): /health through the balancer answers 200.
    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        for (int attempt = 0; attempt < 150 && deadline.Elapsed < TimeSpan.FromSeconds(30); attempt++)
        {
            if (_process.HasExited)
                throw new Xunit.Sdk.XunitException($"nginx exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()} {ErrorLog()}");
            try
            {
                using var answer = await http.GetAsync(new Uri(Address, "health"));
                if (answer.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"nginx did not serve /health within 30 s. {ErrorLog()}");
    }

    private string ErrorLog()
    {
        string log = Path.Combine(_folder, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program to its end (killing it after <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout, string? stdin = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{program} did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed; the kernel reaps it.
            }
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}

/// <summary>A fact that needs the shared fixtures and nginx: skipped with a message when nginx cannot be had, except in CI.</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute.</summary>
    public NginxFactAttribute()
    {
        if (Nginx.SkipReason is { } reason) Skip = reason;
    }
}
