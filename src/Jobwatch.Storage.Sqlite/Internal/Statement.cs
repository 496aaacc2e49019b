using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>
/// One SQL text prepared on one connection and kept for the connection's lifetime, so hot loops
/// bind and step an already compiled statement instead of parsing SQL per row. Its parameters are
/// discovered from the SQL itself: binding a name the SQL does not use is a bug and throws.
/// </summary>
internal sealed partial class Statement : IDisposable
{
    private readonly Dictionary<string, SqliteParameter> _parameters = new(StringComparer.Ordinal);

    public Statement(SqliteConnection connection, string sql)
    {
        Command = connection.CreateCommand();
        Command.CommandText = sql;
        foreach (Match match in ParameterName().Matches(LineComment().Replace(sql, string.Empty)))
        {
            if (!_parameters.ContainsKey(match.Value))
            {
                var parameter = new SqliteParameter(match.Value, DBNull.Value);
                Command.Parameters.Add(parameter);
                _parameters.Add(match.Value, parameter);
            }
        }
    }

    public SqliteCommand Command { get; }

    /// <summary>Sets every parameter to NULL, so no value of a previous use can leak into this one.</summary>
    public Statement Reset()
    {
        foreach (var parameter in _parameters.Values)
        {
            parameter.Value = DBNull.Value;
        }
        return this;
    }

    public bool Uses(string name) => _parameters.ContainsKey(name);

    public Statement Set(string name, string? value) => SetValue(name, value);
    public Statement Set(string name, int value) => SetValue(name, (long)value);
    public Statement Set(string name, int? value) => SetValue(name, value is { } v ? (long)v : null);
    public Statement Set(string name, long value) => SetValue(name, value);
    public Statement Set(string name, long? value) => SetValue(name, value);
    public Statement Set(string name, double? value) => SetValue(name, value);
    public Statement Set(string name, bool value) => SetValue(name, value ? 1L : 0L);
    public Statement Set(string name, DateTimeOffset value) => SetValue(name, UnixMicros.From(value));
    public Statement Set(string name, DateTimeOffset? value) => SetValue(name, UnixMicros.From(value));

    public int Execute() => Command.ExecuteNonQuery();

    public object? Scalar() => Command.ExecuteScalar();

    public SqliteDataReader Query() => Command.ExecuteReader();

    public void Dispose() => Command.Dispose();

    private Statement SetValue(string name, object? value)
    {
        if (!_parameters.TryGetValue(name, out var parameter))
        {
            throw new InvalidOperationException($"The SQL statement has no parameter {name}:{Environment.NewLine}{Command.CommandText}");
        }
        parameter.Value = value ?? DBNull.Value;
        return this;
    }

    [GeneratedRegex(@"@[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();
}
