namespace Jobwatch.Storage.Sqlite.Internal;

/// <summary>The rows of a <see cref="Statement"/>, with the few SqliteDataReader methods this store uses. Disposing ends the statement's use.</summary>
internal readonly struct StatementReader(Statement statement) : IDisposable
{
    public bool Read() => statement.Step();
    public int GetOrdinal(string column) => statement.Ordinal(column);
    public bool IsDBNull(int column) => statement.IsNull(column);
    public long GetInt64(int column) => statement.Int64(column);
    public int GetInt32(int column) => checked((int)statement.Int64(column));
    public double GetDouble(int column) => statement.Double(column);
    public string GetString(int column) => statement.Text(column);
    public ReadOnlySpan<byte> GetBytes(int column) => statement.TextBytes(column);
    public Statement Statement => statement;
    public void Dispose() => statement.Reset();
}
