-- The plugin folder as a user meets it (0.7 – 0.11): is a server found and attached, what did it
-- say (`:messages`), which keys and options did it set, do `gd`, CTRL-] and K work, and what does
-- `:checkhealth tmdiag` show. $TMDIAG_PROBE is the text to put the cursor on (a reference).
-- Written as JSON to $TMDIAG_OUT; then Neovim quits.
local out = {}
local buf = vim.api.nvim_get_current_buf()

local function attached()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = buf })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(buf))
end

local function go_to_probe()
  local probe = os.getenv("TMDIAG_PROBE")
  for index, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = line:find(probe, 1, true)
    if at then
      vim.api.nvim_win_set_cursor(0, { index, at - 1 })
      return
    end
  end
  error("probe not found: " .. probe)
end

local function floats()
  local count = 0
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      count = count + 1
    end
  end
  return count
end

local function run()
  local version = vim.version()
  out.version = version.major .. "." .. version.minor .. "." .. version.patch
  out.filetype = vim.bo.filetype
  vim.wait(tonumber(os.getenv("TMDIAG_WAIT") or "20000"), function() return #attached() > 0 end, 50)
  out.clients = #attached()
  out.messages = vim.fn.execute("messages")
  out.maps = {}
  for _, key in ipairs({ "gd", "K", "grn", "gra", "grr", "gO" }) do
    out.maps[key] = vim.fn.maparg(key, "n", false, true).desc or ""
  end
  out.omnifunc, out.tagfunc = vim.bo.omnifunc, vim.bo.tagfunc
  if out.clients > 0 then
    vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
    go_to_probe()
    local start = vim.api.nvim_win_get_cursor(0)[1]
    vim.api.nvim_feedkeys("gd", "x", false)
    vim.wait(10000, function() return vim.api.nvim_win_get_cursor(0)[1] ~= start end, 50) -- asynchronous
    out.gd_line = vim.api.nvim_win_get_cursor(0)[1]
    go_to_probe()
    local ok, problem = pcall(vim.cmd, "normal! \29") -- CTRL-]: through tagfunc
    out.tag_line = ok and vim.api.nvim_win_get_cursor(0)[1] or tostring(problem)
    go_to_probe()
    local before = floats()
    vim.api.nvim_feedkeys("K", "x", false)
    vim.wait(10000, function() return floats() > before end, 50)
    out.hover_float = floats() > before
  end
  if os.getenv("TMDIAG_HEALTH") == "0" then
    return
  end
  vim.cmd("checkhealth tmdiag")
  out.health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
end

local ok, problem = pcall(run)
if not ok then
  out.error = tostring(problem)
end
vim.fn.writefile({ vim.fn.json_encode(out) }, os.getenv("TMDIAG_OUT"))
vim.cmd("qa!")
