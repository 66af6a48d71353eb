-- `:checkhealth tmdiag`: whether setup() ran, which server command the plugin found and its version,
-- and the clients attached (Neovim 0.7 – 0.11 and later).
local M = {}

local health = vim.health or require("health")
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local fail = health.error or health.report_error
local info = health.info or health.report_info

-- The project roots of the tmdiag buffers, else the current folder's.
local function roots(tmdiag, opts)
  local found, seen = {}, {}
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == "tmdiag" then
      local root = tmdiag.root_dir(buf, opts.root_markers)
      if not seen[root] then
        seen[root] = true
        table.insert(found, root)
      end
    end
  end
  if #found == 0 then
    table.insert(found, vim.fn.getcwd())
  end
  return found
end

local function clients()
  local all = vim.lsp.get_clients and vim.lsp.get_clients({ name = "tmdiag" }) or vim.lsp.get_active_clients()
  local mine = {}
  for _, client in ipairs(all) do
    if client.name == "tmdiag" then
      table.insert(mine, client)
    end
  end
  return mine
end

function M.check()
  start("tmdiag")
  local tmdiag = require("tmdiag")
  local opts = tmdiag.options
  if opts then
    ok("require('tmdiag').setup() was called")
  else
    warn("require('tmdiag').setup() was not called: no server starts for .tm files", { "add it to init.lua" })
    opts = tmdiag.defaults
  end
  for _, root in ipairs(roots(tmdiag, opts)) do
    local cmd, source = tmdiag.command(root, opts)
    if cmd then
      local output = vim.fn.system({ cmd[1], "--version" })
      if vim.v.shell_error == 0 then
        ok(("server for %s: %s (from %s), %s"):format(root, table.concat(cmd, " "), source, vim.trim(output)))
      else
        fail(("server for %s: `%s --version` failed: %s"):format(root, cmd[1], vim.trim(output)))
      end
    else
      fail(("server for %s: %s"):format(root, source))
    end
  end
  local attached = clients()
  if #attached == 0 then
    info("no tmdiag client is running (open a .tm file)")
  end
  for _, client in ipairs(attached) do
    info(("client %d running for %s"):format(client.id, client.config.root_dir or "?"))
  end
end

return M
