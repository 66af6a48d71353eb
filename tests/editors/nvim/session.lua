-- What a user of Neovim sees in a .tm file, collected headless after the config (0.7 – 0.11):
-- filetype, syntax, the language server attached, its diagnostics, a hover, semantic tokens (0.9+)
-- and formatting. Written as JSON to $TMDIAG_OUT; then Neovim quits.
local out = {}
local buf = vim.api.nvim_get_current_buf()

local function attached()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = buf })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(buf))
end

local function position_of(text) -- 0-based row and column of the first occurrence
  for index, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = line:find(text, 1, true)
    if at then
      return index - 1, at - 1
    end
  end
end

local function run()
  local version = vim.version()
  out.version = version.major .. "." .. version.minor .. "." .. version.patch
  out.filetype = vim.bo.filetype
  out.syntax = vim.b.current_syntax or ""
  vim.wait(20000, function() return #attached() > 0 end, 50)
  local client = attached()[1]
  out.client = client and client.name or ""
  vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
    table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, code = code, message = d.message })
  end
  local row, col = position_of(os.getenv("TMDIAG_PROBE") or "web -> db")
  local id = vim.fn.synID(row + 1, col + 1, 1)
  out.syntax_group = vim.fn.synIDattr(id, "name") .. " " .. vim.fn.synIDattr(vim.fn.synIDtrans(id), "name")
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = row, character = col } }
  for _, response in pairs(vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 15000) or {}) do
    if response.result then
      out.hover = response.result.contents.value
    end
  end
  if vim.lsp.semantic_tokens and vim.inspect_pos then -- 0.9+
    vim.wait(15000, function() return #vim.inspect_pos(buf, row, col).semantic_tokens > 0 end, 100)
    out.semantic = {}
    for _, token in ipairs(vim.inspect_pos(buf, row, col).semantic_tokens) do
      table.insert(out.semantic, token.opts.hl_group)
    end
  end
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ timeout_ms = 20000 })
  else
    vim.lsp.buf.formatting_sync(nil, 20000)
  end
  out.formatted = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local ok, problem = pcall(run)
if not ok then
  out.error = tostring(problem)
end
vim.fn.writefile({ vim.fn.json_encode(out) }, os.getenv("TMDIAG_OUT"))
vim.cmd("qa!")
